-- A person's exchanges with the list's order and common filters in the index: the exchange list found by a
-- person's name orders and counts thousands of matches without reading the table. Replaces the narrower
-- index of 0002 (an index holds no data of its own).
DROP INDEX exchange_person;
CREATE INDEX exchange_person ON exchange (person_id, academic_year, planned_start, direction, status)
    WHERE deleted = 0;
