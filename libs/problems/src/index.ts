/** The one table of the API's stable codes in Latvian and English, and the catalogue of problem types built on it. */
export { CODES } from './codes';
export { catalogue, catalogueEntry, isCatalogued, problemCodeOf, problemTypeOf, PROBLEM_TYPE_BASE, type CatalogueEntry } from './catalogue';
