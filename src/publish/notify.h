/*
 * Telling WebSub hubs and ping URLs (publish.notify) that the feed
 * changed (internal to src/publish).
 */
#ifndef PODPUB_PUBLISH_NOTIFY_H
#define PODPUB_PUBLISH_NOTIFY_H

#include "podpub/publish.h"

/* Notifies every URL of show->notify; failures are warnings. */
void notify_all(const struct show *show, const struct publish_report *rep);

#endif
