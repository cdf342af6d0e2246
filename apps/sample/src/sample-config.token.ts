/** DI token of the SampleConfig both apps read. */
export const SAMPLE_CONFIG = 'sample:config';
