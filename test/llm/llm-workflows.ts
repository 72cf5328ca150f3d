// Test workflow for the LLM summary: the lead's summarizeChat calls llmSummarize the same way.
import { llmSummarize, type LlmSummarizeInput, type LlmSummarizeResult } from '../../src/workflows/llm-summary';

export async function llmSummaryTest(input: LlmSummarizeInput): Promise<LlmSummarizeResult> {
  return llmSummarize(input);
}
