/*
 * Shared inside src/init only.
 */
#ifndef PODPUB_INIT_INTERNAL_H
#define PODPUB_INIT_INTERNAL_H

/*
 * A free name for a loudness-normalised copy of 'audio_path', beside it:
 * "x-norm.mp3", else "x-norm2.mp3", ... (a copy of "x-norm.mp3" is named
 * after "x" too). The caller frees it; NULL when none is free.
 */
char *normalized_name(const char *audio_path);

#endif
