/**
 * A timestamptz column written into a JSON answer in the form the API writes every other instant
 * (`Date.toISOString()`: UTC, milliseconds, "Z"). Without it `json_build_object` writes the
 * session's time zone offset ("+00:00", or "+01:00" on a server set to London in summer), and one
 * answer would carry two forms of the same kind of value.
 */
export const isoInstantSql = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
