-- count, one state
WITH records AS (
  SELECT sr.id AS record_id, sr.state_code, sr.state_student_id, sr.child_id AS child_id,
    DATEADD(day, 1, DATEADD(year, 3, DATEADD(day, -1, sr.birth_date))) AS age_from,
    DATEADD(day, -1, DATEADD(day, 1, DATEADD(year, 22, DATEADD(day, -1, sr.birth_date)))) AS age_to
  FROM student_records sr
  WHERE sr.child_id IS NOT NULL AND sr.state_code = :state
),
graduations AS (
  SELECT sr.child_id AS child_id, MIN(e.graduation_date) AS graduated_on
  FROM enrollments e
  JOIN student_records sr ON sr.id = e.student_record_id
  WHERE e.graduation_date IS NOT NULL AND sr.child_id IS NOT NULL
  GROUP BY sr.child_id
),
eligibility AS (
  SELECT r.state_code, r.child_id, m.qualifying_arrival_date AS qad, r.age_from,
    (SELECT MIN(v) FROM (VALUES (COALESCE(m.eligibility_expiration_date, DATEADD(day, -1, DATEADD(day, 1, DATEADD(year, 3, DATEADD(day, -1, m.qualifying_arrival_date)))))), (r.age_to)) AS x(v)) AS eligible_before_cut, (SELECT MIN(v) FROM (VALUES (COALESCE(m.eligibility_expiration_date, DATEADD(day, -1, DATEADD(day, 1, DATEADD(year, 3, DATEADD(day, -1, m.qualifying_arrival_date)))))), (r.age_to), (COALESCE(g.graduated_on, CAST('9999-12-31' AS DATE)))) AS x(v)) AS eligible_to
  FROM records r
  JOIN qualifying_moves m ON m.student_record_id = r.record_id
  LEFT JOIN graduations g ON g.child_id = r.child_id
  WHERE m.qualifying_arrival_date <= CAST(:through AS DATE)
    AND COALESCE(m.eligibility_expiration_date, DATEADD(day, -1, DATEADD(day, 1, DATEADD(year, 3, DATEADD(day, -1, m.qualifying_arrival_date))))) >= CAST(:from AS DATE)
),
enrolled AS (
  SELECT r.state_code, r.child_id, n.id AS enrollment_id, n.enrollment_type, n.grade,
    n.enrollment_date,
    COALESCE(n.withdrawal_date, CAST('9999-12-31' AS DATE)) AS enrolled_to,
    CASE WHEN n.priority_for_services = 1 THEN 1 ELSE 0 END AS pfs,
    CASE WHEN n.english_learner = 1 THEN 1 ELSE 0 END AS el,
    CASE WHEN n.iep = 1 THEN 1 ELSE 0 END AS iep
  FROM records r
  JOIN enrollments n ON n.student_record_id = r.record_id
  WHERE n.enrollment_date <= CAST(:through AS DATE)
    AND (n.withdrawal_date IS NULL OR n.withdrawal_date >= CAST(:from AS DATE))
),
spans AS (
  SELECT n.state_code, n.child_id, n.enrollment_id, n.enrollment_type, n.grade, n.pfs, n.el,
    n.iep,
    CASE WHEN e.qad >= CAST(:from AS DATE) AND e.qad <= CAST(:through AS DATE) THEN 1 ELSE 0 END AS qad_in,
    (SELECT MAX(v) FROM (VALUES (e.qad), (e.age_from), (n.enrollment_date), (CAST(:from AS DATE))) AS x(v)) AS first_day,
    (SELECT MIN(v) FROM (VALUES (e.eligible_to), (n.enrolled_to), (CAST(:through AS DATE))) AS x(v)) AS last_day
  FROM eligibility e
  JOIN enrolled n ON n.child_id = e.child_id AND n.state_code = e.state_code
  WHERE (SELECT MAX(v) FROM (VALUES (e.qad), (e.age_from), (n.enrollment_date), (CAST(:from AS DATE))) AS x(v)) <= (SELECT MIN(v) FROM (VALUES (e.eligible_before_cut), (n.enrolled_to), (CAST(:through AS DATE))) AS x(v))
),
counted AS (
  SELECT s.state_code, s.child_id, k.category, s.pfs, s.el, s.iep, s.qad_in, s.first_day,
    (CAST(DATEDIFF(day, CAST(:from AS DATE), s.last_day) AS BIGINT) * CAST(4294967296 AS BIGINT) + s.enrollment_id)
      * 32 + CASE s.grade WHEN 'P0' THEN 0 WHEN 'P1' THEN 1 WHEN 'P2' THEN 2 WHEN 'P3' THEN 3 WHEN 'P4' THEN 4 WHEN 'P5' THEN 5 WHEN 'KG' THEN 6 WHEN '01' THEN 7 WHEN '02' THEN 8 WHEN '03' THEN 9 WHEN '04' THEN 10 WHEN '05' THEN 11 WHEN '06' THEN 12 WHEN '07' THEN 13 WHEN '08' THEN 14 WHEN '09' THEN 15 WHEN '10' THEN 16 WHEN '11' THEN 17 WHEN '12' THEN 18 WHEN 'UG' THEN 19 WHEN 'OS' THEN 20 ELSE 31 END AS attribution
  FROM spans s
  JOIN (SELECT 1 AS category UNION ALL SELECT 2 AS category) k
    ON k.category = 1 OR s.enrollment_type = '03'
  WHERE s.first_day <= s.last_day
),
counted_children AS (
  SELECT state_code, category, child_id, MAX(pfs) AS priority_for_services,
    MAX(el) AS english_learner, MAX(iep) AS iep, MAX(qad_in) AS qad_in_period,
    MIN(first_day) AS first_day, MAX(attribution) AS attribution
  FROM counted
  GROUP BY state_code, category, child_id
)
SELECT state_code, category, CASE grade_index WHEN 0 THEN 'P0' WHEN 1 THEN 'P1' WHEN 2 THEN 'P2' WHEN 3 THEN 'P3' WHEN 4 THEN 'P4' WHEN 5 THEN 'P5' WHEN 6 THEN 'KG' WHEN 7 THEN '01' WHEN 8 THEN '02' WHEN 9 THEN '03' WHEN 10 THEN '04' WHEN 11 THEN '05' WHEN 12 THEN '06' WHEN 13 THEN '07' WHEN 14 THEN '08' WHEN 15 THEN '09' WHEN 16 THEN '10' WHEN 17 THEN '11' WHEN 18 THEN '12' WHEN 19 THEN 'UG' WHEN 20 THEN 'OS' ELSE '??' END AS grade, children,
  priority_for_services, english_learner, iep, qad_in_period
FROM (
  SELECT state_code, category, attribution % 32 AS grade_index, COUNT(*) AS children,
    SUM(priority_for_services) AS priority_for_services, SUM(english_learner) AS english_learner,
    SUM(iep) AS iep, SUM(qad_in_period) AS qad_in_period
  FROM counted_children
  GROUP BY state_code, category, attribution % 32
) g;

-- count, every state
WITH records AS (
  SELECT sr.id AS record_id, sr.state_code, sr.state_student_id, sr.child_id AS child_id,
    DATEADD(day, 1, DATEADD(year, 3, DATEADD(day, -1, sr.birth_date))) AS age_from,
    DATEADD(day, -1, DATEADD(day, 1, DATEADD(year, 22, DATEADD(day, -1, sr.birth_date)))) AS age_to
  FROM student_records sr
  WHERE sr.child_id IS NOT NULL
),
graduations AS (
  SELECT sr.child_id AS child_id, MIN(e.graduation_date) AS graduated_on
  FROM enrollments e
  JOIN student_records sr ON sr.id = e.student_record_id
  WHERE e.graduation_date IS NOT NULL AND sr.child_id IS NOT NULL
  GROUP BY sr.child_id
),
eligibility AS (
  SELECT r.state_code, r.child_id, m.qualifying_arrival_date AS qad, r.age_from,
    (SELECT MIN(v) FROM (VALUES (COALESCE(m.eligibility_expiration_date, DATEADD(day, -1, DATEADD(day, 1, DATEADD(year, 3, DATEADD(day, -1, m.qualifying_arrival_date)))))), (r.age_to)) AS x(v)) AS eligible_before_cut, (SELECT MIN(v) FROM (VALUES (COALESCE(m.eligibility_expiration_date, DATEADD(day, -1, DATEADD(day, 1, DATEADD(year, 3, DATEADD(day, -1, m.qualifying_arrival_date)))))), (r.age_to), (COALESCE(g.graduated_on, CAST('9999-12-31' AS DATE)))) AS x(v)) AS eligible_to
  FROM records r
  JOIN qualifying_moves m ON m.student_record_id = r.record_id
  LEFT JOIN graduations g ON g.child_id = r.child_id
  WHERE m.qualifying_arrival_date <= CAST(:through AS DATE)
    AND COALESCE(m.eligibility_expiration_date, DATEADD(day, -1, DATEADD(day, 1, DATEADD(year, 3, DATEADD(day, -1, m.qualifying_arrival_date))))) >= CAST(:from AS DATE)
),
enrolled AS (
  SELECT r.state_code, r.child_id, n.id AS enrollment_id, n.enrollment_type, n.grade,
    n.enrollment_date,
    COALESCE(n.withdrawal_date, CAST('9999-12-31' AS DATE)) AS enrolled_to,
    CASE WHEN n.priority_for_services = 1 THEN 1 ELSE 0 END AS pfs,
    CASE WHEN n.english_learner = 1 THEN 1 ELSE 0 END AS el,
    CASE WHEN n.iep = 1 THEN 1 ELSE 0 END AS iep
  FROM records r
  JOIN enrollments n ON n.student_record_id = r.record_id
  WHERE n.enrollment_date <= CAST(:through AS DATE)
    AND (n.withdrawal_date IS NULL OR n.withdrawal_date >= CAST(:from AS DATE))
),
spans AS (
  SELECT n.state_code, n.child_id, n.enrollment_id, n.enrollment_type, n.grade, n.pfs, n.el,
    n.iep,
    CASE WHEN e.qad >= CAST(:from AS DATE) AND e.qad <= CAST(:through AS DATE) THEN 1 ELSE 0 END AS qad_in,
    (SELECT MAX(v) FROM (VALUES (e.qad), (e.age_from), (n.enrollment_date), (CAST(:from AS DATE))) AS x(v)) AS first_day,
    (SELECT MIN(v) FROM (VALUES (e.eligible_to), (n.enrolled_to), (CAST(:through AS DATE))) AS x(v)) AS last_day
  FROM eligibility e
  JOIN enrolled n ON n.child_id = e.child_id AND n.state_code = e.state_code
  WHERE (SELECT MAX(v) FROM (VALUES (e.qad), (e.age_from), (n.enrollment_date), (CAST(:from AS DATE))) AS x(v)) <= (SELECT MIN(v) FROM (VALUES (e.eligible_before_cut), (n.enrolled_to), (CAST(:through AS DATE))) AS x(v))
),
counted AS (
  SELECT s.state_code, s.child_id, k.category, s.pfs, s.el, s.iep, s.qad_in, s.first_day,
    (CAST(DATEDIFF(day, CAST(:from AS DATE), s.last_day) AS BIGINT) * CAST(4294967296 AS BIGINT) + s.enrollment_id)
      * 32 + CASE s.grade WHEN 'P0' THEN 0 WHEN 'P1' THEN 1 WHEN 'P2' THEN 2 WHEN 'P3' THEN 3 WHEN 'P4' THEN 4 WHEN 'P5' THEN 5 WHEN 'KG' THEN 6 WHEN '01' THEN 7 WHEN '02' THEN 8 WHEN '03' THEN 9 WHEN '04' THEN 10 WHEN '05' THEN 11 WHEN '06' THEN 12 WHEN '07' THEN 13 WHEN '08' THEN 14 WHEN '09' THEN 15 WHEN '10' THEN 16 WHEN '11' THEN 17 WHEN '12' THEN 18 WHEN 'UG' THEN 19 WHEN 'OS' THEN 20 ELSE 31 END AS attribution
  FROM spans s
  JOIN (SELECT 1 AS category UNION ALL SELECT 2 AS category) k
    ON k.category = 1 OR s.enrollment_type = '03'
  WHERE s.first_day <= s.last_day
),
counted_children AS (
  SELECT state_code, category, child_id, MAX(pfs) AS priority_for_services,
    MAX(el) AS english_learner, MAX(iep) AS iep, MAX(qad_in) AS qad_in_period,
    MIN(first_day) AS first_day, MAX(attribution) AS attribution
  FROM counted
  GROUP BY state_code, category, child_id
)
SELECT state_code, category, CASE grade_index WHEN 0 THEN 'P0' WHEN 1 THEN 'P1' WHEN 2 THEN 'P2' WHEN 3 THEN 'P3' WHEN 4 THEN 'P4' WHEN 5 THEN 'P5' WHEN 6 THEN 'KG' WHEN 7 THEN '01' WHEN 8 THEN '02' WHEN 9 THEN '03' WHEN 10 THEN '04' WHEN 11 THEN '05' WHEN 12 THEN '06' WHEN 13 THEN '07' WHEN 14 THEN '08' WHEN 15 THEN '09' WHEN 16 THEN '10' WHEN 17 THEN '11' WHEN 18 THEN '12' WHEN 19 THEN 'UG' WHEN 20 THEN 'OS' ELSE '??' END AS grade, children,
  priority_for_services, english_learner, iep, qad_in_period
FROM (
  SELECT state_code, category, attribution % 32 AS grade_index, COUNT(*) AS children,
    SUM(priority_for_services) AS priority_for_services, SUM(english_learner) AS english_learner,
    SUM(iep) AS iep, SUM(qad_in_period) AS qad_in_period
  FROM counted_children
  GROUP BY state_code, category, attribution % 32
) g;

-- refresh (insert members)
WITH records AS (
  SELECT sr.id AS record_id, sr.state_code, sr.state_student_id, sr.child_id AS child_id,
    DATEADD(day, 1, DATEADD(year, 3, DATEADD(day, -1, sr.birth_date))) AS age_from,
    DATEADD(day, -1, DATEADD(day, 1, DATEADD(year, 22, DATEADD(day, -1, sr.birth_date)))) AS age_to
  FROM student_records sr
  WHERE sr.child_id IS NOT NULL
),
graduations AS (
  SELECT sr.child_id AS child_id, MIN(e.graduation_date) AS graduated_on
  FROM enrollments e
  JOIN student_records sr ON sr.id = e.student_record_id
  WHERE e.graduation_date IS NOT NULL AND sr.child_id IS NOT NULL
  GROUP BY sr.child_id
),
eligibility AS (
  SELECT r.state_code, r.child_id, m.qualifying_arrival_date AS qad, r.age_from,
    (SELECT MIN(v) FROM (VALUES (COALESCE(m.eligibility_expiration_date, DATEADD(day, -1, DATEADD(day, 1, DATEADD(year, 3, DATEADD(day, -1, m.qualifying_arrival_date)))))), (r.age_to)) AS x(v)) AS eligible_before_cut, (SELECT MIN(v) FROM (VALUES (COALESCE(m.eligibility_expiration_date, DATEADD(day, -1, DATEADD(day, 1, DATEADD(year, 3, DATEADD(day, -1, m.qualifying_arrival_date)))))), (r.age_to), (COALESCE(g.graduated_on, CAST('9999-12-31' AS DATE)))) AS x(v)) AS eligible_to
  FROM records r
  JOIN qualifying_moves m ON m.student_record_id = r.record_id
  LEFT JOIN graduations g ON g.child_id = r.child_id
  WHERE m.qualifying_arrival_date <= CAST(:through AS DATE)
    AND COALESCE(m.eligibility_expiration_date, DATEADD(day, -1, DATEADD(day, 1, DATEADD(year, 3, DATEADD(day, -1, m.qualifying_arrival_date))))) >= CAST(:from AS DATE)
),
enrolled AS (
  SELECT r.state_code, r.child_id, n.id AS enrollment_id, n.enrollment_type, n.grade,
    n.enrollment_date,
    COALESCE(n.withdrawal_date, CAST('9999-12-31' AS DATE)) AS enrolled_to,
    CASE WHEN n.priority_for_services = 1 THEN 1 ELSE 0 END AS pfs,
    CASE WHEN n.english_learner = 1 THEN 1 ELSE 0 END AS el,
    CASE WHEN n.iep = 1 THEN 1 ELSE 0 END AS iep
  FROM records r
  JOIN enrollments n ON n.student_record_id = r.record_id
  WHERE n.enrollment_date <= CAST(:through AS DATE)
    AND (n.withdrawal_date IS NULL OR n.withdrawal_date >= CAST(:from AS DATE))
),
spans AS (
  SELECT n.state_code, n.child_id, n.enrollment_id, n.enrollment_type, n.grade, n.pfs, n.el,
    n.iep,
    CASE WHEN e.qad >= CAST(:from AS DATE) AND e.qad <= CAST(:through AS DATE) THEN 1 ELSE 0 END AS qad_in,
    (SELECT MAX(v) FROM (VALUES (e.qad), (e.age_from), (n.enrollment_date), (CAST(:from AS DATE))) AS x(v)) AS first_day,
    (SELECT MIN(v) FROM (VALUES (e.eligible_to), (n.enrolled_to), (CAST(:through AS DATE))) AS x(v)) AS last_day
  FROM eligibility e
  JOIN enrolled n ON n.child_id = e.child_id AND n.state_code = e.state_code
  WHERE (SELECT MAX(v) FROM (VALUES (e.qad), (e.age_from), (n.enrollment_date), (CAST(:from AS DATE))) AS x(v)) <= (SELECT MIN(v) FROM (VALUES (e.eligible_before_cut), (n.enrolled_to), (CAST(:through AS DATE))) AS x(v))
),
counted AS (
  SELECT s.state_code, s.child_id, k.category, s.pfs, s.el, s.iep, s.qad_in, s.first_day,
    (CAST(DATEDIFF(day, CAST(:from AS DATE), s.last_day) AS BIGINT) * CAST(4294967296 AS BIGINT) + s.enrollment_id)
      * 32 + CASE s.grade WHEN 'P0' THEN 0 WHEN 'P1' THEN 1 WHEN 'P2' THEN 2 WHEN 'P3' THEN 3 WHEN 'P4' THEN 4 WHEN 'P5' THEN 5 WHEN 'KG' THEN 6 WHEN '01' THEN 7 WHEN '02' THEN 8 WHEN '03' THEN 9 WHEN '04' THEN 10 WHEN '05' THEN 11 WHEN '06' THEN 12 WHEN '07' THEN 13 WHEN '08' THEN 14 WHEN '09' THEN 15 WHEN '10' THEN 16 WHEN '11' THEN 17 WHEN '12' THEN 18 WHEN 'UG' THEN 19 WHEN 'OS' THEN 20 ELSE 31 END AS attribution
  FROM spans s
  JOIN (SELECT 1 AS category UNION ALL SELECT 2 AS category) k
    ON k.category = 1 OR s.enrollment_type = '03'
  WHERE s.first_day <= s.last_day
),
counted_children AS (
  SELECT state_code, category, child_id, MAX(pfs) AS priority_for_services,
    MAX(el) AS english_learner, MAX(iep) AS iep, MAX(qad_in) AS qad_in_period,
    MIN(first_day) AS first_day, MAX(attribution) AS attribution
  FROM counted
  GROUP BY state_code, category, child_id
),
members AS (
SELECT m.state_code, m.category, m.child_id,
  n.student_record_id, sr.state_student_id, n.grade, m.priority_for_services,
  m.english_learner, m.iep, m.qad_in_period, m.first_day, DATEADD(day, CAST(m.attribution / (CAST(4294967296 AS BIGINT) * 32) AS INT), CAST(:from AS DATE)) AS last_day
FROM counted_children m
JOIN enrollments n ON n.id = (m.attribution / 32) % CAST(4294967296 AS BIGINT)
JOIN student_records sr ON sr.id = n.student_record_id
)
INSERT INTO child_count_members (child_count_id, category, child_id, student_record_id, state_student_id, grade, priority_for_services, english_learner, iep, qad_in_period, first_day, last_day)
SELECT cc.id, m.category, m.child_id, m.student_record_id, m.state_student_id, m.grade, m.priority_for_services, m.english_learner, m.iep, m.qad_in_period, m.first_day, m.last_day
FROM members m
JOIN child_counts cc ON cc.state_code = m.state_code AND cc.period = :period
WHERE cc.status = 'computed' AND cc.state_code IN (:states);

-- reconciliation: eligible and of age, enrollment not needed
WITH records AS (
  SELECT sr.id AS record_id, sr.state_code, sr.state_student_id, sr.child_id AS child_id,
    DATEADD(day, 1, DATEADD(year, 3, DATEADD(day, -1, sr.birth_date))) AS age_from,
    DATEADD(day, -1, DATEADD(day, 1, DATEADD(year, 22, DATEADD(day, -1, sr.birth_date)))) AS age_to
  FROM student_records sr
  WHERE sr.child_id IS NOT NULL AND sr.state_code = :state AND sr.child_id IN (:children)
),
graduations AS (
  SELECT sr.child_id AS child_id, MIN(e.graduation_date) AS graduated_on
  FROM enrollments e
  JOIN student_records sr ON sr.id = e.student_record_id
  WHERE e.graduation_date IS NOT NULL AND sr.child_id IS NOT NULL
  GROUP BY sr.child_id
),
eligibility AS (
  SELECT r.state_code, r.child_id, m.qualifying_arrival_date AS qad, r.age_from,
    (SELECT MIN(v) FROM (VALUES (COALESCE(m.eligibility_expiration_date, DATEADD(day, -1, DATEADD(day, 1, DATEADD(year, 3, DATEADD(day, -1, m.qualifying_arrival_date)))))), (r.age_to)) AS x(v)) AS eligible_before_cut, (SELECT MIN(v) FROM (VALUES (COALESCE(m.eligibility_expiration_date, DATEADD(day, -1, DATEADD(day, 1, DATEADD(year, 3, DATEADD(day, -1, m.qualifying_arrival_date)))))), (r.age_to), (COALESCE(g.graduated_on, CAST('9999-12-31' AS DATE)))) AS x(v)) AS eligible_to
  FROM records r
  JOIN qualifying_moves m ON m.student_record_id = r.record_id
  LEFT JOIN graduations g ON g.child_id = r.child_id
  WHERE m.qualifying_arrival_date <= CAST(:through AS DATE)
    AND COALESCE(m.eligibility_expiration_date, DATEADD(day, -1, DATEADD(day, 1, DATEADD(year, 3, DATEADD(day, -1, m.qualifying_arrival_date))))) >= CAST(:from AS DATE)
),
spans AS (
  SELECT e.state_code, e.child_id,
    (SELECT MAX(v) FROM (VALUES (e.qad), (e.age_from), (CAST(:from AS DATE))) AS x(v)) AS first_day,
    (SELECT MIN(v) FROM (VALUES (e.eligible_to), (CAST(:through AS DATE))) AS x(v)) AS last_day
  FROM eligibility e
)
SELECT DISTINCT child_id FROM spans
WHERE first_day <= last_day;
