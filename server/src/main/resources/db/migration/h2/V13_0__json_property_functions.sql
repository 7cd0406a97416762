-- Event property filters (segment rules) read event properties, stored as JSON text, with four
-- functions; PostgreSQL defines the same names over jsonb, so the compiled SQL is the same on both
-- databases. See io.siyu.segment.internal.JsonProperties.
CREATE ALIAS siyu_json_type DETERMINISTIC FOR 'io.siyu.segment.internal.JsonProperties.type';
CREATE ALIAS siyu_json_text DETERMINISTIC FOR 'io.siyu.segment.internal.JsonProperties.text';
CREATE ALIAS siyu_json_number DETERMINISTIC FOR 'io.siyu.segment.internal.JsonProperties.number';
CREATE ALIAS siyu_json_bool DETERMINISTIC FOR 'io.siyu.segment.internal.JsonProperties.bool';
