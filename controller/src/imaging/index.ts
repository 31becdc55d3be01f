/**
 * Public API of the imaging engine: validate a camera JPEG against a photo profile and render the
 * deliverable. The kiosk and the CLI depend on this file only.
 */
export { createPhotoValidator } from './validator.ts';
export type { PhotoReport, PhotoValidator, ValidateOptions, ValidatorOptions } from './validator.ts';
export type { PhotoCheck } from '../domain/photo/checks.ts';
export type { Deliverable } from './render.ts';
export { PROFILES, DEFAULT_PROFILE, BACKGROUND_COLOURS, deriveProfile, backgroundName, type BackgroundName, type BackgroundSpelling, type PhotoProfile, type ProfileOverride } from '../domain/photo/profiles.ts';
export { compareFaces, describePhoto, faceDescriber, DESCRIPTOR_MODEL, type FaceCompareResult } from './face-compare.ts';
export { measureLiveViewFrame } from './live-view-cues.ts';
