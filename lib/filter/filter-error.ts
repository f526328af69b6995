/**
 * Raised when a FlowFilter cannot be compiled: an invalid value (`invalid http status code "2xx"`),
 * a bad pattern or regexp, an unknown enum name, or a combination Hubble rejects. Hubble refuses the
 * whole GetFlows request in these cases, so callers should report the error rather than ignore the
 * offending field.
 */
export class FilterError extends Error {
  /** The FlowFilter field (proto name, e.g. `http_status_code`) the error is about, when known. */
  readonly field: string | undefined;

  constructor(message: string, field?: string) {
    super(field === undefined ? message : `${field}: ${message}`);
    this.name = 'FilterError';
    this.field = field;
  }
}
