/* enr-service-http.h — the request head and body framing, checked before
 * libsoup sees them
 *
 * RFC 9112 lets a server guess at malformed framing; a guess that differs
 * from a proxy's is request smuggling. The service does not guess: a head
 * is read whole, checked here and refused (400, 431, …, then the connection
 * is closed) unless its framing is unambiguous — no Transfer-Encoding with
 * Content-Length, exactly "chunked" as the only transfer coding, one
 * Content-Length of digits, no whitespace before a colon, no folded lines,
 * CRLF line ends, no NUL or control characters, one Host. Its path and
 * query must percent-decode to UTF-8 without NUL, encoded "/" or dot
 * segments. What passes is what libsoup 3.2 parses the same way.
 *
 * EnrServiceChunkedFramer follows a chunked body byte by byte, strictly,
 * to find where the message ends: bytes after it belong to the next
 * request and are never given to this one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ENR_SERVICE_DEFAULT_MAX_HEAD_BYTES  (32 * 1024)
#define ENR_SERVICE_DEFAULT_MAX_HEAD_FIELDS 100

typedef enum
{
  ENR_SERVICE_HTTP_BODY_NONE,
  ENR_SERVICE_HTTP_BODY_LENGTH,
  ENR_SERVICE_HTTP_BODY_CHUNKED,
} EnrServiceHttpBody;

typedef enum
{
  ENR_SERVICE_HTTP_SCAN_INCOMPLETE,   /* read more */
  ENR_SERVICE_HTTP_SCAN_COMPLETE,     /* @head is filled in */
  ENR_SERVICE_HTTP_SCAN_REFUSED,      /* @refusal says why */
} EnrServiceHttpScan;

typedef struct
{
  gsize  max_bytes;    /* the whole head, request line and blank line included */
  guint  max_fields;
} EnrServiceHttpLimits;

typedef struct
{
  gsize              skipped;         /* empty lines before the request line */
  gsize              length;          /* the head from its request line, blank line included */
  gboolean           http_1_0;
  EnrServiceHttpBody body;
  guint64            content_length;
  gboolean           keep_alive;      /* HTTP/1.1 without "Connection: close" */
} EnrServiceHttpHead;

typedef struct
{
  guint       status;
  const char *slug;                   /* a problem type of enr-service-request.h */
  char       *detail;
} EnrServiceHttpRefusal;

void               enr_service_http_refusal_clear (EnrServiceHttpRefusal      *refusal);

EnrServiceHttpScan enr_service_http_scan_head     (const guint8               *data,
                                                   gsize                       length,
                                                   gsize                      *scanned,
                                                   const EnrServiceHttpLimits *limits,
                                                   EnrServiceHttpHead         *head,
                                                   EnrServiceHttpRefusal      *refusal);

typedef struct
{
  guint   state;
  guint64 remaining;    /* bytes of chunk data still to come */
  guint   line;         /* bytes of the current size or trailer line */
  guint   digits;
  guint   trailers;
} EnrServiceChunkedFramer;

void               enr_service_chunked_framer_init (EnrServiceChunkedFramer   *framer);
gsize              enr_service_chunked_framer_feed (EnrServiceChunkedFramer   *framer,
                                                    const guint8              *data,
                                                    gsize                      length,
                                                    EnrServiceHttpRefusal     *refusal);
gboolean           enr_service_chunked_framer_is_done (const EnrServiceChunkedFramer *framer);
gboolean           enr_service_chunked_framer_failed  (const EnrServiceChunkedFramer *framer);

G_END_DECLS
