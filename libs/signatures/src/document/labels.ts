/** The Latvian words of the readable document (English beside them where a signer may need it). */

/** The file name of the canonical JSON attached inside the PDF. */
export const ATTACHMENT_NAME = 'pieteikums.json';

export const RIGHTS_GROUP_LABELS: Readonly<Record<string, string>> = {
  MANAGE: 'Vadīt',
  APPROVE: 'Apstiprināt',
  SIGN: 'Parakstīt',
  VIEW: 'Skatīt',
  COORDINATE: 'Saskaņot',
  COORDINATE_MIN: 'Saskaņot MIN',
};

/** Columns of the rights table, in the order of the seed document. */
export const RIGHTS_GROUP_ORDER = ['MANAGE', 'APPROVE', 'SIGN', 'VIEW', 'COORDINATE', 'COORDINATE_MIN'] as const;

export const KIND_LABELS: Readonly<Record<string, string>> = {
  'new-user': 'jauns lietotājs (new user)',
  change: 'tiesību maiņa (change of rights)',
  termination: 'lietošanas pārtraukšana (termination)',
};

export const SCOPE_LABELS: Readonly<Record<string, string>> = {
  institution: 'Iestāde',
  resort: 'Resors',
};

export const TEXT = {
  title: 'Pieteikums lietotāja tiesībām e-pakalpojumā “Budžets”',
  subtitle: 'Application for user rights in the e-service “Budžets”',
  kind: 'Pieteikuma veids',
  institution: 'Iestāde (reģistrācijas numurs)',
  user: 'Lietotājs',
  personalCode: 'Personas kods',
  email: 'E-pasts',
  term: 'Tiesību termiņš',
  termUntil: (date: string) => `līdz ${date} (until)`,
  termAfterLogin: (months: number) =>
    `${months} mēneši pēc lietotāja pēdējās autentifikācijas portālā (${months} months after the last login)`,
  rights: 'Tiesības (tvērums × tiesību grupas)',
  scope: 'Tvērums',
  noRights: 'Tiesības netiek piešķirtas (lietošanas pārtraukšana).',
  justification: 'Pamatojums',
  replaces: 'Aizstāj pieteikumu',
  identity: 'Dokumenta identitāte',
  applicationId: 'Pieteikuma ID',
  revision: 'Revīzija',
  submittedAt: 'Iesniegts',
  jsonSha256: 'Kanoniskā JSON (RFC 8785) SHA-256',
  attachment: (name: string) =>
    `Pielikumā ${name}: pieteikuma saturs mašīnlasāmā formā (kanoniskais JSON); paraksts attiecas uz šo PDF kopā ar pielikumu.`,
  signHere: 'Parakstiet šo dokumentu ar kvalificētu elektronisko parakstu (eParaksts, eID karte).',
} as const;
