"""Check a SARIF file the way its consumers will.

usage: python3 sarif_check.py SCHEMA_DIR FILE...

1. It validates against the official SARIF 2.1.0 schema in both forms
   under SCHEMA_DIR (see PROVENANCE there): the SARIF SDK's (draft
   2020-12) and schemastore's rtm.5 (draft-04, the "$schema" truegreen
   declares), formats included (python3-rfc3987 checks "uri" and
   "uri-reference": a path with a space is not one).
2. It checks what GitHub code scanning requires beyond the schema, the
   checks of the SARIF SDK's "GitHub ingestion" rules: GitHub rejects
   the whole upload when one result has no location ("locationFromSarifResult:
   expected at least one location"), and it shows a rule only with its
   descriptions and help.

Exit 0 when every file passes; 1 with one line per problem otherwise.
"""
import json
import os
import sys

import jsonschema

SCHEMAS = ("sarif-2.1.0.json", "sarif-2.1.0-rtm.5.json")


def github_problems(doc):
    """What GitHub's ingestion needs that the schema leaves optional."""
    out = []
    for i, run in enumerate(doc.get("runs", [])):
        rules = run["tool"]["driver"].get("rules", [])
        for k, rule in enumerate(rules):
            for need in ("shortDescription", "fullDescription", "help"):
                if not rule.get(need, {}).get("text"):
                    out.append("runs[%d].tool.driver.rules[%d] (%s): no %s.text"
                               % (i, k, rule.get("id"), need))
        for k, res in enumerate(run.get("results", [])):
            where = "runs[%d].results[%d] (%s)" % (i, k, res.get("ruleId"))
            if not res.get("message", {}).get("text"):
                out.append(where + ": no message.text")
            locs = res.get("locations") or []
            if not locs:
                out.append(where + ": no location (GitHub rejects the file)")
            for loc in locs:
                phys = loc.get("physicalLocation", {})
                uri = phys.get("artifactLocation", {}).get("uri")
                if not uri:
                    out.append(where + ": a location without artifactLocation.uri")
                elif uri.startswith("/"):
                    # the SDK's SARIF1004: an absolute path is a file: URI
                    out.append(where + ": uri %r begins with a slash" % uri)
                region = phys.get("region")
                if region is not None and region.get("startLine", 0) < 1:
                    out.append(where + ": a region without startLine")
    return out


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    validators = []
    for name in SCHEMAS:
        with open(os.path.join(argv[1], name), encoding="utf-8") as f:
            schema = json.load(f)
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        checker = jsonschema.FormatChecker()
        if "uri-reference" not in checker.checkers:
            sys.exit("sarif_check: python3-rfc3987 is needed to check URIs")
        validators.append((name, cls(schema, format_checker=checker)))
    bad = 0
    for path in argv[2:]:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        problems = []
        for name, v in validators:
            for e in v.iter_errors(doc):
                where = "/".join(str(p) for p in e.absolute_path)
                problems.append("%s: /%s: %s" % (name, where, e.message[:200]))
        problems += ["github: " + p for p in github_problems(doc)]
        for p in problems:
            print("%s: %s" % (path, p))
        bad += bool(problems)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
