// The metropolitan départements on a grid cartogram: each one a square placed by hand on an
// approximate grid of France (column from west to east, row from north to south), with the
// INSEE code of its chef-lieu for the demonstration sample.

export interface DepartementCell {
  code: string;
  name: string;
  chefLieu: string;
  column: number;
  row: number;
}

const cells: [string, string, string, number, number][] = [
  ['01', 'Ain', '01053', 10, 6],
  ['02', 'Aisne', '02408', 8, 1],
  ['03', 'Allier', '03190', 7, 7],
  ['04', 'Alpes-de-Haute-Provence', '04070', 10, 9],
  ['05', 'Hautes-Alpes', '05061', 10, 8],
  ['06', 'Alpes-Maritimes', '06088', 11, 9],
  ['07', 'Ardèche', '07186', 8, 8],
  ['08', 'Ardennes', '08105', 9, 1],
  ['09', 'Ariège', '09122', 5, 12],
  ['10', 'Aube', '10387', 9, 5],
  ['11', 'Aude', '11069', 7, 11],
  ['12', 'Aveyron', '12202', 6, 10],
  ['13', 'Bouches-du-Rhône', '13055', 8, 10],
  ['14', 'Calvados', '14118', 5, 2],
  ['15', 'Cantal', '15014', 6, 9],
  ['16', 'Charente', '16015', 4, 7],
  ['17', 'Charente-Maritime', '17300', 3, 6],
  ['18', 'Cher', '18033', 6, 6],
  ['19', 'Corrèze', '19272', 5, 8],
  ['21', 'Côte-d’Or', '21231', 10, 5],
  ['22', 'Côtes-d’Armor', '22278', 2, 3],
  ['23', 'Creuse', '23096', 6, 7],
  ['24', 'Dordogne', '24322', 4, 8],
  ['25', 'Doubs', '25056', 11, 5],
  ['26', 'Drôme', '26362', 9, 8],
  ['27', 'Eure', '27229', 6, 2],
  ['28', 'Eure-et-Loir', '28085', 6, 4],
  ['29', 'Finistère', '29232', 1, 3],
  ['2A', 'Corse-du-Sud', '2A004', 11, 12],
  ['2B', 'Haute-Corse', '2B033', 11, 11],
  ['30', 'Gard', '30189', 8, 9],
  ['31', 'Haute-Garonne', '31555', 5, 11],
  ['32', 'Gers', '32013', 4, 10],
  ['33', 'Gironde', '33063', 3, 8],
  ['34', 'Hérault', '34172', 7, 10],
  ['35', 'Ille-et-Vilaine', '35238', 3, 3],
  ['36', 'Indre', '36044', 5, 6],
  ['37', 'Indre-et-Loire', '37261', 5, 5],
  ['38', 'Isère', '38185', 10, 7],
  ['39', 'Jura', '39300', 9, 6],
  ['40', 'Landes', '40192', 3, 9],
  ['41', 'Loir-et-Cher', '41018', 6, 5],
  ['42', 'Loire', '42218', 8, 7],
  ['43', 'Haute-Loire', '43157', 7, 8],
  ['44', 'Loire-Atlantique', '44109', 3, 4],
  ['45', 'Loiret', '45234', 7, 5],
  ['46', 'Lot', '46042', 5, 9],
  ['47', 'Lot-et-Garonne', '47001', 4, 9],
  ['48', 'Lozère', '48095', 7, 9],
  ['49', 'Maine-et-Loire', '49007', 4, 4],
  ['50', 'Manche', '50502', 4, 2],
  ['51', 'Marne', '51108', 9, 2],
  ['52', 'Haute-Marne', '52121', 10, 4],
  ['53', 'Mayenne', '53130', 4, 3],
  ['54', 'Meurthe-et-Moselle', '54395', 10, 3],
  ['55', 'Meuse', '55029', 10, 2],
  ['56', 'Morbihan', '56260', 2, 4],
  ['57', 'Moselle', '57463', 11, 2],
  ['58', 'Nièvre', '58194', 7, 6],
  ['59', 'Nord', '59350', 8, 0],
  ['60', 'Oise', '60057', 7, 2],
  ['61', 'Orne', '61001', 5, 3],
  ['62', 'Pas-de-Calais', '62041', 7, 0],
  ['63', 'Puy-de-Dôme', '63113', 6, 8],
  ['64', 'Pyrénées-Atlantiques', '64445', 3, 10],
  ['65', 'Hautes-Pyrénées', '65440', 4, 11],
  ['66', 'Pyrénées-Orientales', '66136', 6, 12],
  ['67', 'Bas-Rhin', '67482', 12, 2],
  ['68', 'Haut-Rhin', '68066', 12, 3],
  ['69', 'Rhône', '69123', 9, 7],
  ['70', 'Haute-Saône', '70550', 11, 4],
  ['71', 'Saône-et-Loire', '71270', 8, 6],
  ['72', 'Sarthe', '72181', 5, 4],
  ['73', 'Savoie', '73065', 11, 7],
  ['74', 'Haute-Savoie', '74010', 11, 6],
  ['75', 'Paris', '75056', 8, 3],
  ['76', 'Seine-Maritime', '76540', 6, 1],
  ['77', 'Seine-et-Marne', '77288', 9, 4],
  ['78', 'Yvelines', '78646', 6, 3],
  ['79', 'Deux-Sèvres', '79191', 4, 5],
  ['80', 'Somme', '80021', 7, 1],
  ['81', 'Tarn', '81004', 6, 11],
  ['82', 'Tarn-et-Garonne', '82121', 5, 10],
  ['83', 'Var', '83137', 9, 10],
  ['84', 'Vaucluse', '84007', 9, 9],
  ['85', 'Vendée', '85191', 3, 5],
  ['86', 'Vienne', '86194', 4, 6],
  ['87', 'Haute-Vienne', '87085', 5, 7],
  ['88', 'Vosges', '88160', 11, 3],
  ['89', 'Yonne', '89024', 8, 5],
  ['90', 'Territoire de Belfort', '90010', 12, 4],
  ['91', 'Essonne', '91228', 7, 4],
  ['92', 'Hauts-de-Seine', '92050', 7, 3],
  ['93', 'Seine-Saint-Denis', '93008', 9, 3],
  ['94', 'Val-de-Marne', '94028', 8, 4],
  ['95', 'Val-d’Oise', '95500', 8, 2],
];

export const departementGrid: readonly DepartementCell[] = cells.map(
  ([code, name, chefLieu, column, row]) => ({ code, name, chefLieu, column, row }),
);

export const gridColumns = Math.max(...departementGrid.map((cell) => cell.column)) + 1;
export const gridRows = Math.max(...departementGrid.map((cell) => cell.row)) + 1;

const names = new Map(departementGrid.map((cell) => [cell.code, cell.name]));

/** « Gironde (33) », or the code alone for a département outside the grid (overseas). */
export function departementLabel(code: string): string {
  const name = names.get(code);
  return name === undefined ? code : `${name} (${code})`;
}
