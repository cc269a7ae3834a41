// How the report side says the user's input is wrong (missing or malformed run files, a place
// results cannot go): the CLI prints the message and exits 2.
export class ReportInputError extends Error {
  override name = 'ReportInputError';
}
