// The workflow the token bench runs: the same llmSummarize that summarizeChat calls.
export { llmSummaryTest } from '../../test/llm/llm-workflows';
