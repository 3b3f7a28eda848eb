import { describe, expect, test } from 'vitest';
import { DirectoryFileError, parseDirectoryCsv } from '../../../connectors/file/parse.js';

const userNames = (text: string, delimiter?: ',' | ';' | '\t') =>
  parseDirectoryCsv(text, delimiter).users.map((user) => [user.id, user.attributes.userName]);

describe('CSV exports as spreadsheets and HR systems write them', () => {
  test('a UTF-8 BOM and CRLF line ends are read as the plain file', () => {
    const text = '\uFEFFid,userName,displayName\r\nu1,ada@example.com,Ada\r\nu2,grace@example.com,Grace\r\n';
    const snapshot = parseDirectoryCsv(text);
    expect(snapshot.users.map((user) => user.id)).toEqual(['u1', 'u2']);
    expect(snapshot.users[1]?.attributes.displayName).toBe('Grace');
  });

  test('a quoted field keeps its commas, doubled quotes and line breaks', () => {
    const text =
      'id,userName,displayName,title\r\nu1,ada@example.com,"Lovelace, Ada","Head of\r\n""Analytical"" Engines"\r\n';
    const [user] = parseDirectoryCsv(text).users;
    expect(user?.attributes.displayName).toBe('Lovelace, Ada');
    expect(user?.attributes.title).toBe('Head of\n"Analytical" Engines');
  });

  test('a ;-delimited export (Excel in most of Europe) is detected from its header line', () => {
    const text = 'id;userName;displayName;groups\nu1;ada@example.com;Lovelace, Ada;"Engineering;Research"\n';
    const snapshot = parseDirectoryCsv(text);
    expect(snapshot.users[0]?.attributes.displayName).toBe('Lovelace, Ada');
    expect(snapshot.groups.map((group) => group.displayName)).toEqual(['Engineering', 'Research']);
  });

  test('tab-delimited exports are detected too, and a configured delimiter wins over detection', () => {
    expect(userNames('id\tuserName\nu1\tada@example.com\n')).toEqual([['u1', 'ada@example.com']]);
    // A quoted column name holding ; does not turn a comma file into a ; file.
    expect(userNames('"id","userName","cost;center;code"\nu1,ada@example.com,7;8\n')).toEqual([
      ['u1', 'ada@example.com'],
    ]);
    expect(() => userNames('id,userName\nu1,ada@example.com\n', ';')).toThrow(/no "id" column/);
  });

  test('blank lines and rows of empty cells are skipped, and errors after them name the right line', () => {
    const text = 'id,userName\n\nu1,ada@example.com\n,\n\nu2\n';
    expect(() => parseDirectoryCsv(text)).toThrow('line 6: 1 cells, the header has 2');
  });
});

describe('a CSV file that is not strict fails with the line to fix', () => {
  const failure = (text: string) => {
    try {
      parseDirectoryCsv(text);
    } catch (error) {
      expect(error).toBeInstanceOf(DirectoryFileError);
      return (error as Error).message;
    }
    throw new Error('the file was accepted');
  };

  test('text after a closing quote is refused, not glued onto the field', () => {
    expect(failure('id,userName\nu0,zero@example.com\n1,"ab"c\n')).toMatch(
      /^not valid CSV: line 3: text after the closing quote/,
    );
  });

  test('a stray quote inside an unquoted field is refused', () => {
    expect(failure('id,userName\r\nu1,o"brien@example.com\r\n')).toMatch(
      /^not valid CSV: line 2: a quote inside an unquoted field/,
    );
  });

  test('a quote that is never closed names the line it opens on', () => {
    expect(
      failure(
        'id,userName,title\nu1,ada@example.com,"Head of\nEngines"\n\nu2,grace@example.com,"Rear Admiral\nu3,alan@example.com,x\n',
      ),
    ).toBe('not valid CSV: line 5: a quoted field is never closed');
  });

  test('lines are counted in the file, quoted line breaks included', () => {
    const text = 'id,userName,title\r\nu1,ada@example.com,"a\r\nb\r\nc"\r\nu2,grace@example.com,"x"y\r\n';
    expect(failure(text)).toMatch(/^not valid CSV: line 5: /);
    expect(failure('id,userName,title\nu1,ada@example.com,"a\nb"\nu2,grace@example.com\n')).toBe(
      'line 4: 2 cells, the header has 3',
    );
  });
});
