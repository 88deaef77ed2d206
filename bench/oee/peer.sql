-- The OEE benchmark's peer: the same computation as bench/run-oee asks of factoryhub, as
-- one query in the sqlite3 shell over the same tables of the same hub. Three eight-hour
-- UTC shifts a day from 2026-01-01 (integer arithmetic finds their edges); per shift: the
-- planned busy time (every machine's shift less its planned stops), the running time, and
-- the work orders' counts spread over their running time; then the year's totals. Prints
-- the number of shifts and the availability, performance, quality and OEE of the year.
-- Each range join is bounded by the longest event so that the indexes narrow it, and an
-- order's running stretch (shorter than a shift here) is split at most once at a shift edge;
-- CROSS JOIN makes SQLite drive the order-to-event join from the orders.
WITH RECURSIVE
  shift(s) AS (SELECT 1767225600000000000 UNION ALL
               SELECT s + 28800000000000 FROM shift WHERE s + 28800000000000 < 1798761600000000000),
  longest AS (SELECT max(end_ts - start_ts) AS d FROM equipment_state_event),
  piece AS (SELECT shift.s, ev.state,
                   max(ev.start_ts, shift.s) AS a, min(ev.end_ts, shift.s + 28800000000000) AS b
            FROM shift JOIN equipment_state_event ev
              ON ev.start_ts < shift.s + 28800000000000 AND ev.end_ts > shift.s
             AND ev.start_ts > shift.s - (SELECT d FROM longest)),
  per_shift AS (SELECT s, sum(CASE WHEN state = 'planned_stop' THEN b - a ELSE 0 END) AS planned_stop,
                       sum(CASE WHEN state = 'running' THEN b - a ELSE 0 END) AS running
                FROM piece GROUP BY s),
  -- Each order's running stretches, and its running time.
  ran AS (SELECT o.id, o.good_qty AS good, o.good_qty + o.scrap_qty + o.rework_qty AS made,
                 o.ideal_cycle_time_s AS c,
                 max(ev.start_ts, o.actual_start) AS x, min(ev.end_ts, o.actual_end) AS y
          FROM work_order o CROSS JOIN equipment_state_event ev ON ev.equipment_id = o.equipment_id
            AND ev.state = 'running' AND ev.start_ts < o.actual_end
            AND ev.end_ts > o.actual_start
            AND ev.start_ts > o.actual_start - (SELECT d FROM longest)),
  run AS (SELECT id, sum(y - x) AS t FROM ran GROUP BY id),
  at_shift AS (SELECT ran.*, run.t,
                      1767225600000000000 + (x - 1767225600000000000) / 28800000000000 * 28800000000000 AS s
               FROM ran JOIN run USING (id)),
  part AS (SELECT s, min(y, s + 28800000000000) - x AS d, good, made, c, t FROM at_shift
           UNION ALL
           SELECT s + 28800000000000, y - (s + 28800000000000), good, made, c, t FROM at_shift
           WHERE y > s + 28800000000000),
  counted AS (SELECT s, sum(made * d / t) AS made, sum(good * d / t) AS good,
                     sum(c * made * d / t) AS ideal
              FROM part GROUP BY s),
  machines AS (SELECT count(*) AS n FROM asset
               WHERE EXISTS (SELECT 1 FROM equipment_state_event WHERE equipment_id = asset.id))
SELECT count(*),
       round(sum(running) * 1.0 / sum(28800000000000 * (SELECT n FROM machines) - planned_stop), 6),
       round(min(1.0, sum(ideal) * 1e9 / sum(running)), 6),
       round(sum(good) / sum(made), 6),
       round(sum(running) * 1.0 / sum(28800000000000 * (SELECT n FROM machines) - planned_stop)
             * min(1.0, sum(ideal) * 1e9 / sum(running)) * sum(good) / sum(made), 6)
FROM per_shift JOIN counted USING (s);
