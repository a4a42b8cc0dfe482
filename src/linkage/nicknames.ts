/**
 * Given-name nicknames a family or a school registers instead of the formal name, Spanish and
 * English. Keys and values are normalised (upper case, no accents: normalise.ts). A nickname may
 * stand for several formal names (ALEX: Alejandro, Alexander, Alexandra...), so each maps to a list.
 */
const table: Record<string, readonly string[]> = {
  // Spanish
  LUPE: ['GUADALUPE'],
  LUPITA: ['GUADALUPE'],
  PANCHO: ['FRANCISCO'],
  PACO: ['FRANCISCO'],
  CHUY: ['JESUS'],
  CHUCHO: ['JESUS'],
  MEMO: ['GUILLERMO'],
  PEPE: ['JOSE'],
  CHEPE: ['JOSE'],
  KIKE: ['ENRIQUE'],
  QUIQUE: ['ENRIQUE'],
  BETO: ['ROBERTO', 'ALBERTO', 'HUMBERTO', 'GILBERTO'],
  NACHO: ['IGNACIO'],
  LALO: ['EDUARDO'],
  CHAVA: ['SALVADOR'],
  CHAVO: ['SALVADOR'],
  TONO: ['ANTONIO'],
  TONY: ['ANTONIO', 'ANTHONY'],
  ALEX: ['ALEJANDRO', 'ALEXANDER', 'ALEJANDRA', 'ALEXANDRA', 'ALEXIS'],
  ALE: ['ALEJANDRA', 'ALEJANDRO'],
  MANOLO: ['MANUEL'],
  MANNY: ['MANUEL'],
  CUCO: ['REFUGIO'],
  CUQUITA: ['REFUGIO'],
  LOLA: ['DOLORES'],
  CONCHITA: ['CONCEPCION'],
  CONCHA: ['CONCEPCION'],
  CHAYO: ['ROSARIO'],
  CHABELA: ['ISABEL'],
  CHELO: ['CONSUELO'],
  COCO: ['SOCORRO'],
  NENA: ['MAGDALENA', 'ELENA'],
  MALENA: ['MAGDALENA'],
  PILI: ['PILAR'],
  PATY: ['PATRICIA'],
  PATI: ['PATRICIA'],
  LUCHO: ['LUIS'],
  GUICHO: ['LUIS'],
  TACHO: ['ANASTASIO'],
  // English
  BILL: ['WILLIAM'],
  BILLY: ['WILLIAM'],
  WILL: ['WILLIAM'],
  WILLY: ['WILLIAM', 'GUILLERMO'],
  LIAM: ['WILLIAM'],
  BOB: ['ROBERT'],
  BOBBY: ['ROBERT'],
  ROB: ['ROBERT'],
  ROBBIE: ['ROBERT'],
  JIM: ['JAMES'],
  JIMMY: ['JAMES'],
  JAMIE: ['JAMES'],
  MIKE: ['MICHAEL'],
  MIKEY: ['MICHAEL'],
  TOM: ['THOMAS'],
  TOMMY: ['THOMAS'],
  DICK: ['RICHARD'],
  RICK: ['RICHARD', 'RICARDO'],
  RICKY: ['RICHARD', 'RICARDO'],
  RICH: ['RICHARD'],
  JOE: ['JOSEPH', 'JOSE'],
  JOEY: ['JOSEPH'],
  CHRIS: ['CHRISTOPHER', 'CHRISTINA', 'CHRISTIAN', 'CRISTIAN'],
  DAN: ['DANIEL'],
  DANNY: ['DANIEL'],
  DAVE: ['DAVID'],
  STEVE: ['STEPHEN', 'STEVEN'],
  SAM: ['SAMUEL', 'SAMANTHA'],
  BEN: ['BENJAMIN'],
  MATT: ['MATTHEW'],
  NICK: ['NICHOLAS'],
  ANDY: ['ANDREW', 'ANDRES'],
  DREW: ['ANDREW'],
  TED: ['EDWARD', 'THEODORE'],
  ED: ['EDWARD', 'EDUARDO'],
  EDDIE: ['EDWARD', 'EDUARDO'],
  CHARLIE: ['CHARLES', 'CARLOS'],
  CHUCK: ['CHARLES'],
  HANK: ['HENRY'],
  HARRY: ['HENRY', 'HAROLD'],
  JACK: ['JOHN'],
  JOHNNY: ['JOHN', 'JUAN'],
  LIZ: ['ELIZABETH'],
  BETH: ['ELIZABETH'],
  BETTY: ['ELIZABETH'],
  LIZZIE: ['ELIZABETH'],
  KATE: ['KATHERINE', 'CATHERINE'],
  KATIE: ['KATHERINE', 'CATHERINE'],
  KATHY: ['KATHERINE', 'CATHERINE'],
  PEGGY: ['MARGARET'],
  MAGGIE: ['MARGARET'],
  MEG: ['MARGARET'],
  SUE: ['SUSAN'],
  SUSIE: ['SUSAN'],
  JENNY: ['JENNIFER'],
  JEN: ['JENNIFER'],
  ABBY: ['ABIGAIL'],
  MANDY: ['AMANDA'],
  BECKY: ['REBECCA'],
  VICKY: ['VICTORIA'],
  TORI: ['VICTORIA'],
};

export const nicknameTable: Readonly<Record<string, readonly string[]>> = table;

/** The formal names a normalised given name may stand for, itself included. */
export function formalNamesOf(normalisedName: string): readonly string[] {
  const formal = table[normalisedName];
  return formal && formal.length ? [normalisedName, ...formal] : [normalisedName];
}

/** A representative formal form for blocking: the first formal name, or the name itself. */
export function canonicalGivenName(normalisedName: string): string {
  return table[normalisedName]?.[0] ?? normalisedName;
}

/** True when one name is a nickname of the other, or both are nicknames of one formal name. */
export function nicknameEquivalent(a: string, b: string): boolean {
  if (a === b) return true;
  const fa = table[a];
  const fb = table[b];
  if (fa?.includes(b) || fb?.includes(a)) return true;
  return Boolean(fa && fb && fa.some((n) => fb.includes(n)));
}
