// Emits the SDL as a TypeScript string so every bundle (Lambda, local stack) carries
// the schema without reading files at run time.
import { printSchema } from 'graphql';

/** @param {import('graphql').GraphQLSchema} schema */
export const plugin = (schema) => `export const typeDefs = ${JSON.stringify(printSchema(schema))};\n`;
