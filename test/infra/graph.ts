/** The dependency graph CloudFormation builds from a template: Ref, Fn::GetAtt, Fn::Sub and DependsOn. */
export interface TemplateJson {
  readonly Resources: Record<string, { readonly DependsOn?: string | string[]; readonly Properties?: unknown }>;
}

function referencesIn(value: unknown, found: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const item of value) referencesIn(item, found);
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref' && typeof inner === 'string') found.add(inner);
      else if (key === 'Fn::GetAtt' && Array.isArray(inner) && typeof inner[0] === 'string') found.add(inner[0]);
      else if (key === 'Fn::Sub')
        for (const match of JSON.stringify(inner).matchAll(/\$\{([A-Za-z0-9]+)[.}]/g)) found.add(match[1]!);
      else referencesIn(inner, found);
    }
  }
  return found;
}

/** A cycle among the template's resources (as logical ids), or null. */
export function findCycle(template: TemplateJson): string[] | null {
  const ids = new Set(Object.keys(template.Resources));
  const edges = new Map<string, string[]>();
  for (const [id, resource] of Object.entries(template.Resources)) {
    const targets = referencesIn(resource.Properties, new Set([resource.DependsOn ?? []].flat()));
    edges.set(
      id,
      [...targets].filter((target) => ids.has(target)),
    );
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | null => {
    if (state.get(id) === 'done') return null;
    if (state.get(id) === 'visiting') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'visiting');
    path.push(id);
    for (const next of edges.get(id) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(id, 'done');
    return null;
  };
  for (const id of ids) {
    const cycle = visit(id);
    if (cycle) return cycle;
  }
  return null;
}
