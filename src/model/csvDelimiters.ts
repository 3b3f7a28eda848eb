/** The delimiters exports come with: Excel writes `;` wherever the decimal separator is a comma. */
export const CSV_DELIMITERS = [',', ';', '\t'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];
