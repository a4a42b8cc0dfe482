-- count, one state
WITH records AS (
  SELECT sr.id AS record_id, sr.state_code, sr.state_student_id, CAST(COALESCE(c.merged_into, sr.child_id) AS BIGINT) AS child_id,
    DATEADD(day, CASE WHEN DAY(DATEADD(year, 3, sr.birth_date)) <> DAY(sr.birth_date) THEN 1 ELSE 0 END, DATEADD(year, 3, sr.birth_date)) AS age_from,
    DATEADD(day, -1, DATEADD(day, CASE WHEN DAY(DATEADD(year, 22, sr.birth_date)) <> DAY(sr.birth_date) THEN 1 ELSE 0 END, DATEADD(year, 22, sr.birth_date))) AS age_to
  FROM student_records sr
  LEFT JOIN children c ON c.child_id = sr.child_id AND c.status = 'merged'
  WHERE sr.child_id IS NOT NULL AND sr.state_code = :state
),
graduations AS (
  SELECT CAST(COALESCE(c.merged_into, sr.child_id) AS BIGINT) AS child_id, MIN(e.graduation_date) AS graduated_on
  FROM enrollments e
  JOIN student_records sr ON sr.id = e.student_record_id
  LEFT JOIN children c ON c.child_id = sr.child_id AND c.status = 'merged'
  WHERE e.graduation_date IS NOT NULL AND sr.child_id IS NOT NULL
  GROUP BY CAST(COALESCE(c.merged_into, sr.child_id) AS BIGINT)
),
eligibility AS (
  SELECT r.state_code, r.child_id, m.qualifying_arrival_date AS qad, r.age_from,
    (SELECT MIN(v) FROM (VALUES (COALESCE(m.eligibility_expiration_date, DATEADD(day, -1, DATEADD(day, CASE WHEN DAY(DATEADD(year, 3, m.qualifying_arrival_date)) <> DAY(m.qualifying_arrival_date) THEN 1 ELSE 0 END, DATEADD(year, 3, m.qualifying_arrival_date))))), (r.age_to), (COALESCE(g.graduated_on, CAST('9999-12-31' AS DATE)))) AS x(v)) AS eligible_to
  FROM records r
  JOIN qualifying_moves m ON m.student_record_id = r.record_id
  LEFT JOIN graduations g ON g.child_id = r.child_id
  WHERE m.qualifying_arrival_date <= CAST(:through AS DATE)
    AND COALESCE(m.eligibility_expiration_date, DATEADD(day, -1, DATEADD(day, CASE WHEN DAY(DATEADD(year, 3, m.qualifying_arrival_date)) <> DAY(m.qualifying_arrival_date) THEN 1 ELSE 0 END, DATEADD(year, 3, m.qualifying_arrival_date)))) >= CAST(:from AS DATE)
),
enrolled AS (
  SELECT r.state_code, r.child_id, r.record_id, r.state_student_id, n.id AS enrollment_id,
    n.enrollment_type, n.grade, n.enrollment_date,
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
  SELECT n.state_code, n.child_id, n.record_id, n.state_student_id, n.enrollment_id,
    n.enrollment_type, n.grade, n.enrollment_date, n.pfs, n.el, n.iep,
    CASE WHEN e.qad >= CAST(:from AS DATE) AND e.qad <= CAST(:through AS DATE) THEN 1 ELSE 0 END AS qad_in,
    (SELECT MAX(v) FROM (VALUES (e.qad), (e.age_from), (n.enrollment_date), (CAST(:from AS DATE))) AS x(v)) AS first_day,
    (SELECT MIN(v) FROM (VALUES (e.eligible_to), (n.enrolled_to), (CAST(:through AS DATE))) AS x(v)) AS last_day
  FROM eligibility e
  JOIN enrolled n ON n.child_id = e.child_id AND n.state_code = e.state_code
),
counted AS (
  SELECT s.*, k.category
  FROM spans s
  JOIN (SELECT 1 AS category UNION ALL SELECT 2 AS category) k
    ON k.category = 1 OR s.enrollment_type = '03'
  WHERE s.first_day <= s.last_day
),
ranked AS (
  SELECT k.*,
    ROW_NUMBER() OVER (PARTITION BY state_code, category, child_id
      ORDER BY k.last_day DESC, k.enrollment_date DESC, k.enrollment_id DESC) AS attributed,
    MAX(k.pfs) OVER (PARTITION BY state_code, category, child_id) AS any_pfs,
    MAX(k.el) OVER (PARTITION BY state_code, category, child_id) AS any_el,
    MAX(k.iep) OVER (PARTITION BY state_code, category, child_id) AS any_iep,
    MAX(k.qad_in) OVER (PARTITION BY state_code, category, child_id) AS any_qad_in,
    MIN(k.first_day) OVER (PARTITION BY state_code, category, child_id) AS first_counted_day
  FROM counted k
),
members AS (
  SELECT state_code, category, RIGHT('000000000000' + CAST(child_id AS VARCHAR(12)), 12) AS child_id,
    record_id AS student_record_id, state_student_id, grade,
    any_pfs AS priority_for_services, any_el AS english_learner, any_iep AS iep,
    any_qad_in AS qad_in_period, first_counted_day AS first_day, last_day
  FROM ranked
  WHERE attributed = 1
)
SELECT state_code, category, grade, COUNT(*) AS children,
  SUM(priority_for_services) AS priority_for_services, SUM(english_learner) AS english_learner,
  SUM(iep) AS iep, SUM(qad_in_period) AS qad_in_period
FROM members
GROUP BY state_code, category, grade;

-- count, every state
WITH records AS (
  SELECT sr.id AS record_id, sr.state_code, sr.state_student_id, CAST(COALESCE(c.merged_into, sr.child_id) AS BIGINT) AS child_id,
    DATEADD(day, CASE WHEN DAY(DATEADD(year, 3, sr.birth_date)) <> DAY(sr.birth_date) THEN 1 ELSE 0 END, DATEADD(year, 3, sr.birth_date)) AS age_from,
    DATEADD(day, -1, DATEADD(day, CASE WHEN DAY(DATEADD(year, 22, sr.birth_date)) <> DAY(sr.birth_date) THEN 1 ELSE 0 END, DATEADD(year, 22, sr.birth_date))) AS age_to
  FROM student_records sr
  LEFT JOIN children c ON c.child_id = sr.child_id AND c.status = 'merged'
  WHERE sr.child_id IS NOT NULL
),
graduations AS (
  SELECT CAST(COALESCE(c.merged_into, sr.child_id) AS BIGINT) AS child_id, MIN(e.graduation_date) AS graduated_on
  FROM enrollments e
  JOIN student_records sr ON sr.id = e.student_record_id
  LEFT JOIN children c ON c.child_id = sr.child_id AND c.status = 'merged'
  WHERE e.graduation_date IS NOT NULL AND sr.child_id IS NOT NULL
  GROUP BY CAST(COALESCE(c.merged_into, sr.child_id) AS BIGINT)
),
eligibility AS (
  SELECT r.state_code, r.child_id, m.qualifying_arrival_date AS qad, r.age_from,
    (SELECT MIN(v) FROM (VALUES (COALESCE(m.eligibility_expiration_date, DATEADD(day, -1, DATEADD(day, CASE WHEN DAY(DATEADD(year, 3, m.qualifying_arrival_date)) <> DAY(m.qualifying_arrival_date) THEN 1 ELSE 0 END, DATEADD(year, 3, m.qualifying_arrival_date))))), (r.age_to), (COALESCE(g.graduated_on, CAST('9999-12-31' AS DATE)))) AS x(v)) AS eligible_to
  FROM records r
  JOIN qualifying_moves m ON m.student_record_id = r.record_id
  LEFT JOIN graduations g ON g.child_id = r.child_id
  WHERE m.qualifying_arrival_date <= CAST(:through AS DATE)
    AND COALESCE(m.eligibility_expiration_date, DATEADD(day, -1, DATEADD(day, CASE WHEN DAY(DATEADD(year, 3, m.qualifying_arrival_date)) <> DAY(m.qualifying_arrival_date) THEN 1 ELSE 0 END, DATEADD(year, 3, m.qualifying_arrival_date)))) >= CAST(:from AS DATE)
),
enrolled AS (
  SELECT r.state_code, r.child_id, r.record_id, r.state_student_id, n.id AS enrollment_id,
    n.enrollment_type, n.grade, n.enrollment_date,
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
  SELECT n.state_code, n.child_id, n.record_id, n.state_student_id, n.enrollment_id,
    n.enrollment_type, n.grade, n.enrollment_date, n.pfs, n.el, n.iep,
    CASE WHEN e.qad >= CAST(:from AS DATE) AND e.qad <= CAST(:through AS DATE) THEN 1 ELSE 0 END AS qad_in,
    (SELECT MAX(v) FROM (VALUES (e.qad), (e.age_from), (n.enrollment_date), (CAST(:from AS DATE))) AS x(v)) AS first_day,
    (SELECT MIN(v) FROM (VALUES (e.eligible_to), (n.enrolled_to), (CAST(:through AS DATE))) AS x(v)) AS last_day
  FROM eligibility e
  JOIN enrolled n ON n.child_id = e.child_id AND n.state_code = e.state_code
),
counted AS (
  SELECT s.*, k.category
  FROM spans s
  JOIN (SELECT 1 AS category UNION ALL SELECT 2 AS category) k
    ON k.category = 1 OR s.enrollment_type = '03'
  WHERE s.first_day <= s.last_day
),
ranked AS (
  SELECT k.*,
    ROW_NUMBER() OVER (PARTITION BY state_code, category, child_id
      ORDER BY k.last_day DESC, k.enrollment_date DESC, k.enrollment_id DESC) AS attributed,
    MAX(k.pfs) OVER (PARTITION BY state_code, category, child_id) AS any_pfs,
    MAX(k.el) OVER (PARTITION BY state_code, category, child_id) AS any_el,
    MAX(k.iep) OVER (PARTITION BY state_code, category, child_id) AS any_iep,
    MAX(k.qad_in) OVER (PARTITION BY state_code, category, child_id) AS any_qad_in,
    MIN(k.first_day) OVER (PARTITION BY state_code, category, child_id) AS first_counted_day
  FROM counted k
),
members AS (
  SELECT state_code, category, RIGHT('000000000000' + CAST(child_id AS VARCHAR(12)), 12) AS child_id,
    record_id AS student_record_id, state_student_id, grade,
    any_pfs AS priority_for_services, any_el AS english_learner, any_iep AS iep,
    any_qad_in AS qad_in_period, first_counted_day AS first_day, last_day
  FROM ranked
  WHERE attributed = 1
)
SELECT state_code, category, grade, COUNT(*) AS children,
  SUM(priority_for_services) AS priority_for_services, SUM(english_learner) AS english_learner,
  SUM(iep) AS iep, SUM(qad_in_period) AS qad_in_period
FROM members
GROUP BY state_code, category, grade;

-- refresh (insert members)
WITH records AS (
  SELECT sr.id AS record_id, sr.state_code, sr.state_student_id, CAST(COALESCE(c.merged_into, sr.child_id) AS BIGINT) AS child_id,
    DATEADD(day, CASE WHEN DAY(DATEADD(year, 3, sr.birth_date)) <> DAY(sr.birth_date) THEN 1 ELSE 0 END, DATEADD(year, 3, sr.birth_date)) AS age_from,
    DATEADD(day, -1, DATEADD(day, CASE WHEN DAY(DATEADD(year, 22, sr.birth_date)) <> DAY(sr.birth_date) THEN 1 ELSE 0 END, DATEADD(year, 22, sr.birth_date))) AS age_to
  FROM student_records sr
  LEFT JOIN children c ON c.child_id = sr.child_id AND c.status = 'merged'
  WHERE sr.child_id IS NOT NULL
),
graduations AS (
  SELECT CAST(COALESCE(c.merged_into, sr.child_id) AS BIGINT) AS child_id, MIN(e.graduation_date) AS graduated_on
  FROM enrollments e
  JOIN student_records sr ON sr.id = e.student_record_id
  LEFT JOIN children c ON c.child_id = sr.child_id AND c.status = 'merged'
  WHERE e.graduation_date IS NOT NULL AND sr.child_id IS NOT NULL
  GROUP BY CAST(COALESCE(c.merged_into, sr.child_id) AS BIGINT)
),
eligibility AS (
  SELECT r.state_code, r.child_id, m.qualifying_arrival_date AS qad, r.age_from,
    (SELECT MIN(v) FROM (VALUES (COALESCE(m.eligibility_expiration_date, DATEADD(day, -1, DATEADD(day, CASE WHEN DAY(DATEADD(year, 3, m.qualifying_arrival_date)) <> DAY(m.qualifying_arrival_date) THEN 1 ELSE 0 END, DATEADD(year, 3, m.qualifying_arrival_date))))), (r.age_to), (COALESCE(g.graduated_on, CAST('9999-12-31' AS DATE)))) AS x(v)) AS eligible_to
  FROM records r
  JOIN qualifying_moves m ON m.student_record_id = r.record_id
  LEFT JOIN graduations g ON g.child_id = r.child_id
  WHERE m.qualifying_arrival_date <= CAST(:through AS DATE)
    AND COALESCE(m.eligibility_expiration_date, DATEADD(day, -1, DATEADD(day, CASE WHEN DAY(DATEADD(year, 3, m.qualifying_arrival_date)) <> DAY(m.qualifying_arrival_date) THEN 1 ELSE 0 END, DATEADD(year, 3, m.qualifying_arrival_date)))) >= CAST(:from AS DATE)
),
enrolled AS (
  SELECT r.state_code, r.child_id, r.record_id, r.state_student_id, n.id AS enrollment_id,
    n.enrollment_type, n.grade, n.enrollment_date,
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
  SELECT n.state_code, n.child_id, n.record_id, n.state_student_id, n.enrollment_id,
    n.enrollment_type, n.grade, n.enrollment_date, n.pfs, n.el, n.iep,
    CASE WHEN e.qad >= CAST(:from AS DATE) AND e.qad <= CAST(:through AS DATE) THEN 1 ELSE 0 END AS qad_in,
    (SELECT MAX(v) FROM (VALUES (e.qad), (e.age_from), (n.enrollment_date), (CAST(:from AS DATE))) AS x(v)) AS first_day,
    (SELECT MIN(v) FROM (VALUES (e.eligible_to), (n.enrolled_to), (CAST(:through AS DATE))) AS x(v)) AS last_day
  FROM eligibility e
  JOIN enrolled n ON n.child_id = e.child_id AND n.state_code = e.state_code
),
counted AS (
  SELECT s.*, k.category
  FROM spans s
  JOIN (SELECT 1 AS category UNION ALL SELECT 2 AS category) k
    ON k.category = 1 OR s.enrollment_type = '03'
  WHERE s.first_day <= s.last_day
),
ranked AS (
  SELECT k.*,
    ROW_NUMBER() OVER (PARTITION BY state_code, category, child_id
      ORDER BY k.last_day DESC, k.enrollment_date DESC, k.enrollment_id DESC) AS attributed,
    MAX(k.pfs) OVER (PARTITION BY state_code, category, child_id) AS any_pfs,
    MAX(k.el) OVER (PARTITION BY state_code, category, child_id) AS any_el,
    MAX(k.iep) OVER (PARTITION BY state_code, category, child_id) AS any_iep,
    MAX(k.qad_in) OVER (PARTITION BY state_code, category, child_id) AS any_qad_in,
    MIN(k.first_day) OVER (PARTITION BY state_code, category, child_id) AS first_counted_day
  FROM counted k
),
members AS (
  SELECT state_code, category, RIGHT('000000000000' + CAST(child_id AS VARCHAR(12)), 12) AS child_id,
    record_id AS student_record_id, state_student_id, grade,
    any_pfs AS priority_for_services, any_el AS english_learner, any_iep AS iep,
    any_qad_in AS qad_in_period, first_counted_day AS first_day, last_day
  FROM ranked
  WHERE attributed = 1
)
INSERT INTO child_count_members (child_count_id, category, child_id, student_record_id, state_student_id, grade, priority_for_services, english_learner, iep, qad_in_period, first_day, last_day)
SELECT cc.id, m.category, m.child_id, m.student_record_id, m.state_student_id, m.grade, m.priority_for_services, m.english_learner, m.iep, m.qad_in_period, m.first_day, m.last_day
FROM members m
JOIN child_counts cc ON cc.state_code = m.state_code AND cc.period = :period
WHERE cc.status = 'computed' AND cc.state_code IN (:states);

-- reconciliation: eligible and of age, enrollment not needed
WITH records AS (
  SELECT sr.id AS record_id, sr.state_code, sr.state_student_id, CAST(COALESCE(c.merged_into, sr.child_id) AS BIGINT) AS child_id,
    DATEADD(day, CASE WHEN DAY(DATEADD(year, 3, sr.birth_date)) <> DAY(sr.birth_date) THEN 1 ELSE 0 END, DATEADD(year, 3, sr.birth_date)) AS age_from,
    DATEADD(day, -1, DATEADD(day, CASE WHEN DAY(DATEADD(year, 22, sr.birth_date)) <> DAY(sr.birth_date) THEN 1 ELSE 0 END, DATEADD(year, 22, sr.birth_date))) AS age_to
  FROM student_records sr
  LEFT JOIN children c ON c.child_id = sr.child_id AND c.status = 'merged'
  WHERE sr.child_id IS NOT NULL AND sr.state_code = :state AND COALESCE(c.merged_into, sr.child_id) IN (:children)
),
graduations AS (
  SELECT CAST(COALESCE(c.merged_into, sr.child_id) AS BIGINT) AS child_id, MIN(e.graduation_date) AS graduated_on
  FROM enrollments e
  JOIN student_records sr ON sr.id = e.student_record_id
  LEFT JOIN children c ON c.child_id = sr.child_id AND c.status = 'merged'
  WHERE e.graduation_date IS NOT NULL AND sr.child_id IS NOT NULL
  GROUP BY CAST(COALESCE(c.merged_into, sr.child_id) AS BIGINT)
),
eligibility AS (
  SELECT r.state_code, r.child_id, m.qualifying_arrival_date AS qad, r.age_from,
    (SELECT MIN(v) FROM (VALUES (COALESCE(m.eligibility_expiration_date, DATEADD(day, -1, DATEADD(day, CASE WHEN DAY(DATEADD(year, 3, m.qualifying_arrival_date)) <> DAY(m.qualifying_arrival_date) THEN 1 ELSE 0 END, DATEADD(year, 3, m.qualifying_arrival_date))))), (r.age_to), (COALESCE(g.graduated_on, CAST('9999-12-31' AS DATE)))) AS x(v)) AS eligible_to
  FROM records r
  JOIN qualifying_moves m ON m.student_record_id = r.record_id
  LEFT JOIN graduations g ON g.child_id = r.child_id
  WHERE m.qualifying_arrival_date <= CAST(:through AS DATE)
    AND COALESCE(m.eligibility_expiration_date, DATEADD(day, -1, DATEADD(day, CASE WHEN DAY(DATEADD(year, 3, m.qualifying_arrival_date)) <> DAY(m.qualifying_arrival_date) THEN 1 ELSE 0 END, DATEADD(year, 3, m.qualifying_arrival_date)))) >= CAST(:from AS DATE)
),
spans AS (
  SELECT e.state_code, e.child_id,
    (SELECT MAX(v) FROM (VALUES (e.qad), (e.age_from), (CAST(:from AS DATE))) AS x(v)) AS first_day,
    (SELECT MIN(v) FROM (VALUES (e.eligible_to), (CAST(:through AS DATE))) AS x(v)) AS last_day
  FROM eligibility e
)
SELECT DISTINCT RIGHT('000000000000' + CAST(child_id AS VARCHAR(12)), 12) AS child_id FROM spans
WHERE first_day <= last_day;
