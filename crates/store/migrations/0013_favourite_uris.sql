-- The Like activity's id of a remote favourite: some servers undo a Like by its id alone.
ALTER TABLE favourites ADD COLUMN uri TEXT;
CREATE INDEX favourites_uri ON favourites (uri);
