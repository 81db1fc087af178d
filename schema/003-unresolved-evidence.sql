-- truegreen schema version 3: unresolved evidence is found by index.
--
-- A pytest log that names its tests only at the end (-q, where the
-- FAILURES titles come first) stores evidence under a headline and
-- resolves each headline when the log ends (S_EVIDENCE_ALIAS).  Without
-- an index every resolution read the whole evidence table: 20,000
-- failures took 59 s to import into an empty database, and longer with
-- every run kept.  Only unresolved rows are in this index, so resolving
-- one empties its entry and other evidence costs nothing to index.
CREATE INDEX evidence_unresolved ON evidence(source_id, headline)
	WHERE headline IS NOT NULL;
