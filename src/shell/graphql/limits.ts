/**
 * Limits on what one GraphQL request may ask for, enforced before any resolver runs
 * (graphql-armor's validation rules, graphql-js's parser limit). Sized so every SDK operation
 * and the playground's introspection fit with room to spare, while deeply nested,
 * alias-amplified or oversized documents are refused as validation/parse errors.
 */
import { ApolloArmor } from '@escape.tech/graphql-armor';

export const GRAPHQL_LIMITS = {
  maxDepth: 8,
  maxAliases: 10,
  maxDirectives: 20,
  maxTokens: 2000,
  maxCost: 2000,
} as const;

/** Apollo options: graphql-armor's rules and plugins, and the parser's token limit. */
export function requestLimits({ fieldSuggestions }: { fieldSuggestions: boolean }) {
  const armor = new ApolloArmor({
    maxDepth: { n: GRAPHQL_LIMITS.maxDepth },
    maxAliases: { n: GRAPHQL_LIMITS.maxAliases },
    maxDirectives: { n: GRAPHQL_LIMITS.maxDirectives },
    // Its Apollo plugin throws from parsingDidStart, which turns every syntax error into a
    // 500; graphql-js's own parser limit (parseOptions below) answers 400 instead.
    maxTokens: { enabled: false },
    costLimit: { maxCost: GRAPHQL_LIMITS.maxCost },
    // "Did you mean …" suggestions describe the schema: only where introspection is on anyway.
    blockFieldSuggestion: { enabled: !fieldSuggestions },
  }).protect();
  return {
    validationRules: armor.validationRules,
    plugins: armor.plugins,
    parseOptions: { maxTokens: GRAPHQL_LIMITS.maxTokens },
  };
}
