/**
 * One label width for every field of the query, variable and annotation editors, whatever its
 * place in a row, so labels and controls line up from one row and one editor to the next.
 */
export const LABEL_WIDTH = 14;

/** The settings page's labels are longer ("Skip TLS verification"): one width for all of them. */
export const CONFIG_LABEL_WIDTH = 20;
