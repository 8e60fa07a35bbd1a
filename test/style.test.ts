import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Rules that matter enough to be enforced by a test rather than remembered (TigerBeetle's tidy).

const MAX_FILE_LINES = 700;
/** Table-driven tests list one row per rule: they may run longer, not without bound. */
const MAX_TEST_FILE_LINES = 2_000;
const MAX_FUNCTION_LINES = 70;
const THIS_FILE = 'test/style.test.ts';
const SOURCE_ROOTS = ['src', 'test', 'bench', 'web/src'];

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const fullPath = path.join(directory, name);
    if (statSync(fullPath).isDirectory()) return sourceFiles(fullPath);
    return /\.(ts|tsx)$/.test(name) ? [fullPath] : [];
  });
}

const files = SOURCE_ROOTS.flatMap((root) => sourceFiles(root));
const isTestFile = (file: string) => /\.test\.tsx?$/.test(file);

function longFunctions(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      if (end - start + 1 > MAX_FUNCTION_LINES)
        found.push(`${file}:${start + 1} (${end - start + 1} lignes)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('hygiène du code', () => {
  it('trouve les fichiers à contrôler', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it(`aucun fichier ne dépasse ${MAX_FILE_LINES} lignes (${MAX_TEST_FILE_LINES} pour un fichier de tests)`, () => {
    const tooLong = files.filter((file) => {
      const limit = isTestFile(file) ? MAX_TEST_FILE_LINES : MAX_FILE_LINES;
      return readFileSync(file, 'utf8').split('\n').length > limit;
    });
    expect(tooLong).toEqual([]);
  });

  it(`aucune fonction ne dépasse ${MAX_FUNCTION_LINES} lignes (hors fichiers de tests)`, () => {
    expect(files.filter((file) => !isTestFile(file)).flatMap(longFunctions)).toEqual([]);
  });

  it('aucune marque de travail laissé en plan (FIXME, TODO, XXX)', () => {
    const marked = files.filter(
      (file) => file !== THIS_FILE && /\b(FIXME|TODO|XXX)\b/.test(readFileSync(file, 'utf8')),
    );
    expect(marked).toEqual([]);
  });

  it('le code de production ne tire pas au hasard avec Math.random (crypto pour les secrets)', () => {
    const random = files.filter(
      (file) => file.startsWith('src') && readFileSync(file, 'utf8').includes('Math.random'),
    );
    expect(random).toEqual([]);
  });

  it('le SQL ne se trouve que dans les fichiers store.ts, verify.ts et la plateforme', () => {
    const sqlOutsideStores = files.filter((file) => {
      if (!file.startsWith('src/') || isTestFile(file) || file.startsWith('src/platform/'))
        return false;
      if (/(store|verify)\.ts$/.test(file)) return false;
      return /\b(select|insert into|update)\b[^'`]*\b(from|set|values)\b/i.test(
        readFileSync(file, 'utf8'),
      );
    });
    expect(sqlOutsideStores).toEqual([]);
  });
});
