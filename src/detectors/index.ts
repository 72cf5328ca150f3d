export { compileDetectors, isBot, DetectorConfig, DetectorRules, QuestionRules, DetectorLanguage, DEFAULT_DETECTORS } from './detectors';
export type { Detectors, Detection, DetectionKind, DetectorConfigInput } from './detectors';
export { rankByWeight, textFingerprint } from './rank-by-weight';
export type { WeighedCandidate, RankedCandidate, RankOptions, CandidateStatus } from './rank-by-weight';
export { EngagementTracker } from './engagement-tracker';
