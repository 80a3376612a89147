-- Exchanges without an academic year are counted too, under year 0, so that the counts cover every exchange
-- with a partner and the exchange list can take its totals from them. Rebuilt from `exchange`.
DELETE FROM exchange_count;
INSERT INTO exchange_count (partner_id, academic_year, direction, status, n)
SELECT partner_id, coalesce(academic_year, 0), direction, status, count(*) FROM exchange
WHERE deleted = 0 AND partner_id IS NOT NULL
GROUP BY partner_id, coalesce(academic_year, 0), direction, status;
