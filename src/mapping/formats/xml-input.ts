/**
 * The `input` keys of an XML mapping. Kept apart from xml.ts so that loading a mapping of another
 * format never loads libxml2-wasm (about 170 MB of resident memory).
 */
import { z } from 'zod';
import { positiveInt, strict } from '../definition.js';

export const xmlInput = strict({
  /** Prefixes used in the XPaths, e.g. { fl: 'urn:example:fl:migrant:v1' }. */
  namespaces: z.record(z.string(), z.string()).default({}),
  /** XPath of the record elements (one child each), from the document root. */
  record: z.string().min(1),
  /** The state's XSD, relative to the mapping file. */
  schema: z.string().min(1).optional(),
  maxBytes: positiveInt.default(64 * 1024 * 1024),
});

export type XmlInput = z.infer<typeof xmlInput>;
