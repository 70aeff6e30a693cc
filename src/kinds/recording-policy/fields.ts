/** The storage and source alternatives of a RecordingPolicy (exactly one of each is set). */
export const STORAGE_FIELDS = ['s3', 'gcp', 'azure', 'aliOSS'] as const;
export const SOURCE_FIELDS = ['roomComposite', 'participant', 'trackComposite', 'web'] as const;
