export { compileDetectors, isBot, DetectorConfig, DetectorRules, QuestionRules, DetectorLanguage, DEFAULT_DETECTORS } from './detectors';
export type { Detectors, Detection, DetectorConfigInput } from './detectors';
