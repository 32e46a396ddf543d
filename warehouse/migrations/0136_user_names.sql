-- A staff account's person: the name pages, exports and PDFs show where the account acted (a
-- login name such as "office" is not a person's name). NULL: the office the account belongs to
-- stands in (portal/people.go).
ALTER TABLE users ADD COLUMN full_name VARCHAR;
