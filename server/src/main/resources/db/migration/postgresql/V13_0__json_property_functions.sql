-- Event property filters (segment rules) read event properties, stored as JSON text, with four
-- functions; H2 defines the same names over Java (io.siyu.segment.internal.JsonProperties), so the
-- compiled SQL is the same on both databases. A path is a dotted list of object keys. A value that
-- is missing, JSON null or of another type gives NULL. Documents holding a \u0000 escape (which
-- jsonb cannot store) count as unreadable instead of failing the whole query.
CREATE FUNCTION siyu_json_type(doc VARCHAR, path VARCHAR) RETURNS VARCHAR
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN strpos(doc, '\u0000') = 0
              THEN nullif(jsonb_typeof(doc::jsonb #> string_to_array(path, '.')), 'null') END $$;

CREATE FUNCTION siyu_json_text(doc VARCHAR, path VARCHAR) RETURNS VARCHAR
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN siyu_json_type(doc, path) = 'string'
              THEN doc::jsonb #>> string_to_array(path, '.') END $$;

CREATE FUNCTION siyu_json_number(doc VARCHAR, path VARCHAR) RETURNS NUMERIC
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN siyu_json_type(doc, path) = 'number'
              THEN (doc::jsonb #>> string_to_array(path, '.'))::numeric END $$;

CREATE FUNCTION siyu_json_bool(doc VARCHAR, path VARCHAR) RETURNS BOOLEAN
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN siyu_json_type(doc, path) = 'boolean'
              THEN (doc::jsonb #>> string_to_array(path, '.'))::boolean END $$;
