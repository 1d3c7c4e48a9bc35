/** `mythos check`: the public API the CLI and the calibration runner use. */
export { checkTranscript, checkParsed, formatCheckLines, missingPreludeFields, type CheckOptions } from './checks.js';
export {
  CHECK_IDS, CheckModeSchema, CheckReportSchema, CheckSchema,
  type Check, type CheckId, type CheckMode, type CheckReport,
} from './report.js';
export {
  lensSequence, parseFooter, parseTranscript,
  type Dispatch, type Fields, type Footer, type ParsedTranscript, type Prelude, type Round, type Subagent,
} from './parse-transcript.js';
export {
  applyExpectations, CalibrationCaseSchema, CalibrationFileError, CalibrationFileSchema, DEFAULT_CASES_PATH,
  ExpectationSchema, loadCalibrationCases, parseCalibrationCases,
  type CalibrationCase, type CalibrationFile, type Expectation, type ExpectationKind,
} from './expectations.js';
export { renderCalibrationReport, reportFileName, type CalibrationResult, type ReportContext } from './calibration-report.js';
