-- truegreen schema version 4: an input not read to its end says so.
--
-- A JUnit report can break in its middle as well as at its end: a text
-- node or CDATA section over 10 MB (libxml2's limit) stops the reader
-- while megabytes of testcases follow.  truncated_at keeps the byte
-- after the last complete testcase either way; stopped_at is the byte
-- where reading stopped when the input went on past it (NULL when the
-- input simply ended there, as when a CI job was killed mid-write), so
-- the report can say that tests were left unread, not cut off.
ALTER TABLE sources ADD COLUMN stopped_at INTEGER;
