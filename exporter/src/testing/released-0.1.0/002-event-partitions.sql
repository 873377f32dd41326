
CREATE OR REPLACE FUNCTION saasmon_ensure_event_partitions(from_ts timestamptz, to_ts timestamptz)
RETURNS integer LANGUAGE plpgsql AS $fn$
DECLARE
  month_start date := date_trunc('month', from_ts AT TIME ZONE 'UTC')::date;
  month_end   date;
  part_name   text;
  made        integer := 0;
  schema_name text := current_schema();
BEGIN
  WHILE month_start <= (to_ts AT TIME ZONE 'UTC')::date LOOP
    month_end := (month_start + interval '1 month')::date;
    part_name := 'events_' || to_char(month_start, 'YYYYMM');
    IF to_regclass(format('%I.%I', schema_name, part_name)) IS NULL THEN
      EXECUTE format('CREATE TABLE %I.%I (LIKE %I.events INCLUDING DEFAULTS)', schema_name, part_name, schema_name);
      EXECUTE format(
        'WITH moved AS (DELETE FROM %I.events_default WHERE occurred_at >= %L::timestamptz AND occurred_at < %L::timestamptz RETURNING *)
         INSERT INTO %I.%I SELECT * FROM moved',
        schema_name, month_start::text || ' 00:00:00+00', month_end::text || ' 00:00:00+00', schema_name, part_name);
      EXECUTE format('ALTER TABLE %I.events ATTACH PARTITION %I.%I FOR VALUES FROM (%L) TO (%L)',
        schema_name, schema_name, part_name,
        month_start::text || ' 00:00:00+00', month_end::text || ' 00:00:00+00');
      made := made + 1;
    END IF;
    month_start := month_end;
  END LOOP;
  RETURN made;
END
$fn$;

SELECT saasmon_ensure_event_partitions(now() - interval '3 months', now() + interval '3 months');
