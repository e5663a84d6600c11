import { type DynamoDBDocumentClient, ScanCommand, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';

/** Every item of a table, page by page, read consistently (operator scripts and audits; never on a request path). */
export async function scanTable(
  documents: DynamoDBDocumentClient,
  tableName: string,
  filter?: Pick<ScanCommandInput, 'FilterExpression' | 'ExpressionAttributeValues'>,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey, ...filter }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}
