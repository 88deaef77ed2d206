-- The trace benchmark's genealogy (bench/run-trace): 8 levels of 250,000 lots (2 M), each
-- lot above the first made of 3 lots of the level below (2 for every seventh), 5 M links:
-- supplier lots at level 0, finished goods at level 7, so a trace from either end crosses
-- 7 levels. Inputs are spread by multiplying by a prime, so fan-out is as wide as fan-in
-- and the lots a trace reaches are scattered over the file, as real genealogy is.
PRAGMA synchronous = OFF;
PRAGMA cache_size = -1000000;  -- 1 GB: the indexes are built in memory, not through the file
BEGIN;
WITH RECURSIVE level(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM level WHERE k < 7)
INSERT INTO material(id, code, name, kind)
  SELECT k + 1, 'LEVEL-' || k, 'level ' || k, CASE k WHEN 0 THEN 'raw' WHEN 7 THEN 'product'
                                                    ELSE 'intermediate' END FROM level;
WITH RECURSIVE level(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM level WHERE k < 7),
               n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 249999)
INSERT INTO lot(id, material_id, number, quantity, unit)
  SELECT k * 250000 + i + 1, k + 1, 'L' || k || '-' || i, 1000, 'kg' FROM level, n;
WITH RECURSIVE level(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM level WHERE k < 7),
               n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 249999),
               j(j) AS (VALUES (0), (1), (2))
INSERT INTO lot_link(input_lot_id, output_lot_id, quantity)
  SELECT (k - 1) * 250000 + (i * 7919 + j * 104729 + k * 31) % 250000 + 1, k * 250000 + i + 1,
         250.0
  FROM level, n, j WHERE j < 2 OR i % 7 <> 0;
COMMIT;
ANALYZE;
