import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as mime from 'mime-types';
import * as standIn from '../../src/shims/mimeTypes';

// The bundles put src/shims/mimeTypes.ts in place of mime-types (scripts/build.mjs): for the types the
// agent sends and takes it must answer exactly as mime-types does.
const TYPES = ['application/json', 'application/x-www-form-urlencoded', 'text/html', 'text/plain'];
const LOOKED_UP = ['json', 'html', 'htm', 'shtml', 'txt', 'text', 'log', 'ini', '.json', 'page.html', 'dir/notes.TXT', 'HTML'];

describe('the mime-types stand-in', () => {
  it('gives the Content-Type header Express sets for what the agent sends', () => {
    for (const value of [...TYPES, 'json', 'html', 'txt', 'text/html; charset=iso-8859-1', 'application/json; charset=utf-8', 'text/event-stream', 'TEXT/HTML']) {
      assert.equal(standIn.contentType(value), mime.contentType(value), value);
    }
  });

  it('looks up the extensions of those types as mime-types does', () => {
    for (const value of LOOKED_UP) assert.equal(standIn.lookup(value), mime.lookup(value), value);
  });

  it('names their charsets and extensions as mime-types does', () => {
    for (const type of [...TYPES, 'text/event-stream', 'text/csv', ' text/html ; q=1']) {
      assert.equal(standIn.charset(type), mime.charset(type), `charset of ${type}`);
      assert.equal(standIn.charsets.lookup(type), mime.charsets.lookup(type), `charsets.lookup of ${type}`);
    }
    for (const type of TYPES) assert.equal(standIn.extension(type), mime.extension(type), `extension of ${type}`);
    for (const [type, extensions] of Object.entries(standIn.extensions)) assert.deepEqual(extensions, mime.extensions[type]?.filter((e) => standIn.types[e] === type), type);
  });

  it('knows no other type: Express then answers application/octet-stream', () => {
    for (const value of ['png', 'image/png', 'js', 'css']) {
      assert.equal(standIn.lookup(value.includes('/') ? 'x' : value), false, value);
      if (value.includes('/')) assert.equal(standIn.contentType(value), value, 'a full type passes as it is');
    }
    for (const value of [undefined, '', 42]) {
      assert.equal(standIn.lookup(value), false);
      assert.equal(standIn.contentType(value), false);
      assert.equal(standIn.charset(value), false);
      assert.equal(standIn.extension(value), false);
    }
  });
});
