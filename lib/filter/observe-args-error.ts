/**
 * The error `parseObserveArgs` throws for anything the hubble CLI would refuse (unknown flag, bad
 * value, conflicting filters, `--first` with `--last`, ...) and for filter values Hubble's server
 * would reject (bad regexp, bad CIDR). Messages follow the CLI's wording, e.g.
 * `invalid argument "dropped" for "--verdict" flag: invalid --verdict value: dropped`.
 */
export class ObserveArgsError extends Error {
  /** The flag the error is about, in long form (`--verdict`), when there is one. */
  readonly flag: string | undefined;

  constructor(message: string, flag?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ObserveArgsError';
    this.flag = flag;
  }
}
