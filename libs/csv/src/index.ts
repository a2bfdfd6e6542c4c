export { readCsv, decodeText, CSV_ENCODINGS, type CsvTable, type CsvEncoding } from './read-csv';
