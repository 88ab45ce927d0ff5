/* enr-service-http.c — the request head and body framing, checked before
 * libsoup sees them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "enr-service-http.h"

#define MAX_LENGTH_DIGITS  18     /* below 2^63 */
#define MAX_CHUNK_DIGITS   15     /* below 2^60 */
#define MAX_CHUNK_LINE     4096
#define MAX_TRAILERS       100

enum
{
  CHUNK_SIZE,
  CHUNK_EXTENSION,
  CHUNK_SIZE_LF,
  CHUNK_DATA,
  CHUNK_DATA_CR,
  CHUNK_DATA_LF,
  CHUNK_TRAILER_START,
  CHUNK_TRAILER,
  CHUNK_TRAILER_LF,
  CHUNK_FINAL_LF,
  CHUNK_DONE,
  CHUNK_FAILED,
};

typedef struct
{
  const guint8 *start;
  gsize         length;
} Span;

void
enr_service_http_refusal_clear (EnrServiceHttpRefusal *refusal)
{
  g_clear_pointer (&refusal->detail, g_free);
  refusal->status = 0;
  refusal->slug = NULL;
}

static gboolean G_GNUC_PRINTF (4, 5)
refuse (EnrServiceHttpRefusal *refusal,
        guint                  status,
        const char            *slug,
        const char            *format,
        ...)
{
  va_list args;

  enr_service_http_refusal_clear (refusal);
  refusal->status = status;
  refusal->slug = slug;
  va_start (args, format);
  refusal->detail = g_strdup_vprintf (format, args);
  va_end (args);

  return FALSE;
}

/* RFC 9110 §5.6.2 */
static gboolean
is_tchar (guint8 c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-.^_`|~", c) != NULL);
}

static gboolean
is_field_char (guint8 c)
{
  return c == '\t' || c == ' ' || (c >= 0x21 && c != 0x7f);
}

static gboolean
span_equal (Span        span,
            const char *text)
{
  return span.length == strlen (text) &&
         g_ascii_strncasecmp ((const char *) span.start, text, span.length) == 0;
}

static Span
span_trim (Span span)
{
  while (span.length > 0 && (span.start[0] == ' ' || span.start[0] == '\t'))
    {
      span.start++;
      span.length--;
    }
  while (span.length > 0 && (span.start[span.length - 1] == ' ' || span.start[span.length - 1] == '\t'))
    span.length--;

  return span;
}

/* Calls @func on each element of a comma-separated list (RFC 9110 §5.6.1),
 * trimmed; empty elements are skipped. Stops when @func returns FALSE. */
static gboolean
each_element (Span       list,
              gboolean (*func) (Span element, gpointer data),
              gpointer   data)
{
  const guint8 *p = list.start;
  const guint8 *end = list.start + list.length;

  while (p <= end)
    {
      const guint8 *comma = memchr (p, ',', end - p);
      Span element = { p, (comma != NULL ? comma : end) - p };

      element = span_trim (element);
      if (element.length > 0 && !func (element, data))
        return FALSE;
      if (comma == NULL)
        break;
      p = comma + 1;
    }

  return TRUE;
}

/* Framing */

typedef struct
{
  guint    n_codings;
  gboolean chunked_final;     /* the last coding is exactly "chunked" */
  gboolean chunked_twice;     /* "chunked" before the last coding */
} Codings;

static gboolean
add_coding (Span     element,
            gpointer data)
{
  Codings *codings = data;

  if (codings->chunked_final)
    codings->chunked_twice = TRUE;
  codings->n_codings++;
  codings->chunked_final = span_equal (element, "chunked");

  return TRUE;
}

static gboolean
find_close (Span     element,
            gpointer data)
{
  gboolean *close = data;

  if (span_equal (element, "close"))
    *close = TRUE;

  return TRUE;
}

/* Request targets */

static int
hex_value (guint8 c)
{
  return g_ascii_isxdigit (c) ? g_ascii_xdigit_value (c) : -1;
}

/* Percent-decodes @span ('+' is a space in a query) into @out. */
static gboolean
decode (Span                   span,
        gboolean               query,
        GString               *out,
        EnrServiceHttpRefusal *refusal)
{
  g_string_truncate (out, 0);

  for (gsize i = 0; i < span.length; i++)
    {
      guint8 c = span.start[i];

      if (c == '%')
        {
          int high = i + 2 < span.length ? hex_value (span.start[i + 1]) : -1;
          int low = i + 2 < span.length ? hex_value (span.start[i + 2]) : -1;

          if (high < 0 || low < 0)
            return refuse (refusal, 400, "invalid-parameter",
                           "A “%%” in the %s is not followed by two hexadecimal digits.",
                           query ? "query" : "path");
          c = (guint8) (high * 16 + low);
          i += 2;

          if (c == '\0')
            return refuse (refusal, 400, "invalid-parameter",
                           "The %s contains a NUL character (%%00).", query ? "query" : "path");
          if (c == '/' && !query)
            return refuse (refusal, 400, "invalid-parameter",
                           "The path contains an encoded “/” (%%2F); ids never do.");
        }
      else if (c == '+' && query)
        c = ' ';

      g_string_append_c (out, (char) c);
    }

  if (!g_utf8_validate_len (out->str, out->len, NULL))
    return refuse (refusal, 400, "invalid-parameter",
                   "The %s is not UTF-8 once percent-decoded.", query ? "query" : "path");

  return TRUE;
}

static gboolean
check_path (Span                   path,
            GString               *scratch,
            EnrServiceHttpRefusal *refusal)
{
  const guint8 *p = path.start;
  const guint8 *end = path.start + path.length;

  /* One segment at a time: a decoded "/" cannot appear (decode refuses it). */
  while (p < end)
    {
      const guint8 *slash;
      Span segment;

      p++;   /* the "/" */
      slash = memchr (p, '/', end - p);
      segment = (Span) { p, (slash != NULL ? slash : end) - p };

      if (!decode (segment, FALSE, scratch, refusal))
        return FALSE;
      if (g_str_equal (scratch->str, ".") || g_str_equal (scratch->str, ".."))
        return refuse (refusal, 400, "invalid-parameter",
                       "The path contains a “.” or “..” segment.");

      p = slash != NULL ? slash : end;
    }

  return TRUE;
}

static gboolean
check_query (Span                   query,
             GString               *scratch,
             EnrServiceHttpRefusal *refusal)
{
  const guint8 *p = query.start;
  const guint8 *end = query.start + query.length;

  while (p <= end)
    {
      const guint8 *amp = memchr (p, '&', end - p);
      Span pair = { p, (amp != NULL ? amp : end) - p };

      if (!decode (pair, TRUE, scratch, refusal))
        return FALSE;
      if (amp == NULL)
        break;
      p = amp + 1;
    }

  return TRUE;
}

/* A Host that g_uri_parse() takes as it is: a name or IPv4 address and
 * an optional port. */
static gboolean
is_plain_host (Span host)
{
  gsize i = 0;
  guint port = 0;

  while (i < host.length && (g_ascii_isalnum (host.start[i]) || host.start[i] == '.' || host.start[i] == '-'))
    i++;
  if (i == 0)
    return FALSE;
  if (i == host.length)
    return TRUE;
  if (host.start[i++] != ':' || i == host.length)
    return FALSE;
  for (; i < host.length; i++)
    {
      if (!g_ascii_isdigit (host.start[i]))
        return FALSE;
      port = port * 10 + (host.start[i] - '0');
      if (port > 65535)
        return FALSE;
    }

  return TRUE;
}

/* libsoup makes a GUri of the target (with the Host for a path) and
 * answers a bare 400 when that fails: refuse those first. A path that
 * passed check_path() with a plain Host always parses. */
static gboolean
check_uri (Span                   target,
           Span                   host,
           gboolean               has_host,
           EnrServiceHttpRefusal *refusal)
{
  g_autofree char *uri = NULL;

  if (target.start[0] == '/' && (!has_host || is_plain_host (host)))
    return TRUE;

  if (target.start[0] != '/')
    uri = g_strndup ((const char *) target.start, target.length);
  else if (has_host)
    uri = g_strdup_printf ("http://%.*s%.*s", (int) host.length, (const char *) host.start,
                           (int) target.length, (const char *) target.start);
  else
    uri = g_strdup_printf ("http://localhost%.*s", (int) target.length, (const char *) target.start);

  if (!g_uri_is_valid (uri, SOUP_HTTP_URI_FLAGS, NULL))
    return refuse (refusal, 400, "malformed-request", "The request target or Host is not a valid URI.");

  return TRUE;
}

static gboolean
check_target (Span                   target,
              Span                   host,
              gboolean               has_host,
              EnrServiceHttpRefusal *refusal)
{
  g_autoptr(GString) scratch = g_string_sized_new (target.length);
  const guint8 *end = target.start + target.length;
  const guint8 *question;
  Span path;

  if (memchr (target.start, '#', target.length) != NULL)
    return refuse (refusal, 400, "malformed-request", "The request target contains a fragment (“#”).");

  if (target.start[0] == '/')
    path.start = target.start;
  else if (target.length > 7 && g_ascii_strncasecmp ((const char *) target.start, "http://", 7) == 0)
    {
      /* absolute-form: the path starts after the authority */
      const guint8 *p = target.start + 7;

      while (p < end && *p != '/' && *p != '?')
        p++;
      if (p == target.start + 7)
        return refuse (refusal, 400, "malformed-request", "The request target has no host.");
      path.start = p;
    }
  else
    return refuse (refusal, 400, "malformed-request",
                   "The request target must be a path such as /v1/customers.");

  question = memchr (path.start, '?', end - path.start);
  path.length = (question != NULL ? question : end) - path.start;

  if (path.length > 0 && !check_path (path, scratch, refusal))
    return FALSE;
  if (question != NULL && !check_query ((Span) { question + 1, end - question - 1 }, scratch, refusal))
    return FALSE;

  return check_uri (target, host, has_host, refusal);
}

/* Heads */

/* Finds the end of the head ("\r\n\r\n") from *scanned on, checking each
 * byte once. Returns the length from @start, 0 when incomplete, or
 * G_MAXSIZE when refused. */
static gsize
find_end (const guint8          *data,
          gsize                  length,
          gsize                  start,
          gsize                 *scanned,
          EnrServiceHttpRefusal *refusal)
{
  for (gsize i = MAX (*scanned, start); i < length; i++)
    {
      guint8 c = data[i];

      if (i > start && data[i - 1] == '\r' && c != '\n')
        {
          refuse (refusal, 400, "malformed-request", "A carriage return (CR) is not followed by a line feed.");
          return G_MAXSIZE;
        }
      if (c == '\0')
        {
          refuse (refusal, 400, "malformed-request", "The request head contains a NUL character.");
          return G_MAXSIZE;
        }
      if (c == '\n')
        {
          if (i == start || data[i - 1] != '\r')
            {
              refuse (refusal, 400, "malformed-request", "The lines of a request head end with CRLF.");
              return G_MAXSIZE;
            }
          if (i >= start + 3 && data[i - 2] == '\n')
            {
              *scanned = i + 1;
              return i + 1 - start;
            }
        }
    }

  *scanned = length;
  return 0;
}

static gboolean
parse_request_line (Span                   line,
                    Span                  *target,
                    gboolean              *http_1_0,
                    EnrServiceHttpRefusal *refusal)
{
  const guint8 *p = line.start;
  const guint8 *end = line.start + line.length;
  Span version;

  while (p < end && is_tchar (*p))
    p++;
  if (p == line.start || p == end || *p != ' ')
    return refuse (refusal, 400, "malformed-request",
                   "The request line is not “METHOD /path HTTP/1.1”.");

  target->start = ++p;
  while (p < end && *p > 0x20 && *p < 0x7f)
    p++;
  target->length = p - target->start;
  if (target->length == 0 || p == end || *p != ' ')
    return refuse (refusal, 400, "malformed-request",
                   "The request line is not “METHOD /path HTTP/1.1” (one space apart, the path in visible ASCII).");

  version = (Span) { p + 1, end - p - 1 };
  if (version.length == 8 && memcmp (version.start, "HTTP/1.1", 8) == 0)
    *http_1_0 = FALSE;
  else if (version.length == 8 && memcmp (version.start, "HTTP/1.0", 8) == 0)
    *http_1_0 = TRUE;
  else if (version.length == 8 && memcmp (version.start, "HTTP/", 5) == 0 &&
           g_ascii_isdigit (version.start[5]) && version.start[6] == '.' &&
           g_ascii_isdigit (version.start[7]))
    return refuse (refusal, 505, "http-version-not-supported",
                   "Send HTTP/1.1 (or HTTP/1.0).");
  else
    return refuse (refusal, 400, "malformed-request",
                   "The request line does not end with HTTP/1.1.");

  return TRUE;
}

EnrServiceHttpScan
enr_service_http_scan_head (const guint8               *data,
                            gsize                       length,
                            gsize                      *scanned,
                            const EnrServiceHttpLimits *limits,
                            EnrServiceHttpHead         *head,
                            EnrServiceHttpRefusal      *refusal)
{
  Codings codings = { 0, };
  Span target = { NULL, 0 };
  Span host = { NULL, 0 };
  Span content_length = { NULL, 0 };
  const guint8 *p;
  const guint8 *end;
  gsize start = 0;
  gsize head_length;
  guint n_fields = 0;
  guint n_hosts = 0;
  gboolean has_transfer_encoding = FALSE;
  gboolean close = FALSE;

  g_return_val_if_fail (data != NULL || length == 0, ENR_SERVICE_HTTP_SCAN_INCOMPLETE);

  memset (head, 0, sizeof *head);

  /* RFC 9112 §2.2: empty lines before the request line are ignored. */
  while (start + 1 < length && data[start] == '\r' && data[start + 1] == '\n')
    start += 2;

  head_length = find_end (data, length, start, scanned, refusal);
  if (head_length == G_MAXSIZE)
    return ENR_SERVICE_HTTP_SCAN_REFUSED;
  if (head_length == 0)
    {
      if (length > limits->max_bytes)
        {
          refuse (refusal, 431, "header-fields-too-large",
                  "A request head may have up to %" G_GSIZE_FORMAT " bytes.", limits->max_bytes);
          return ENR_SERVICE_HTTP_SCAN_REFUSED;
        }
      return ENR_SERVICE_HTTP_SCAN_INCOMPLETE;
    }
  if (start + head_length > limits->max_bytes)
    {
      refuse (refusal, 431, "header-fields-too-large",
              "A request head may have up to %" G_GSIZE_FORMAT " bytes.", limits->max_bytes);
      return ENR_SERVICE_HTTP_SCAN_REFUSED;
    }

  head->skipped = start;
  head->length = head_length;

  p = data + start;
  end = p + head_length - 2;   /* the last line's CRLF is the blank line */
  {
    const guint8 *eol = memchr (p, '\r', end - p);

    if (!parse_request_line ((Span) { p, eol - p }, &target, &head->http_1_0, refusal))
      return ENR_SERVICE_HTTP_SCAN_REFUSED;
    p = eol + 2;
  }

  while (p < end)
    {
      const guint8 *eol = memchr (p, '\r', end - p);
      const guint8 *colon;
      Span name;
      Span value;

      if (++n_fields > limits->max_fields)
        {
          refuse (refusal, 431, "header-fields-too-large",
                  "A request may have up to %u header fields.", limits->max_fields);
          return ENR_SERVICE_HTTP_SCAN_REFUSED;
        }

      if (*p == ' ' || *p == '\t')
        {
          refuse (refusal, 400, "malformed-request",
                  "A header field is folded over several lines (obs-fold).");
          return ENR_SERVICE_HTTP_SCAN_REFUSED;
        }

      colon = p;
      while (colon < eol && is_tchar (*colon))
        colon++;
      name = (Span) { p, colon - p };
      if (colon < eol && (*colon == ' ' || *colon == '\t'))
        {
          refuse (refusal, 400, "malformed-request",
                  "Whitespace between a header field name and its colon.");
          return ENR_SERVICE_HTTP_SCAN_REFUSED;
        }
      if (name.length == 0 || colon == eol || *colon != ':')
        {
          refuse (refusal, 400, "malformed-request", "A header field is not “Name: value”.");
          return ENR_SERVICE_HTTP_SCAN_REFUSED;
        }

      value = span_trim ((Span) { colon + 1, eol - colon - 1 });
      for (gsize i = 0; i < value.length; i++)
        if (!is_field_char (value.start[i]))
          {
            refuse (refusal, 400, "malformed-request",
                    "The header field “%.*s” contains a control character.",
                    (int) name.length, (const char *) name.start);
            return ENR_SERVICE_HTTP_SCAN_REFUSED;
          }

      if (span_equal (name, "Content-Length"))
        {
          if (content_length.start != NULL)
            {
              gboolean same = content_length.length == value.length &&
                              memcmp (content_length.start, value.start, value.length) == 0;

              refuse (refusal, 400, "malformed-request",
                      same ? "Content-Length is repeated." : "Two different Content-Length values.");
              return ENR_SERVICE_HTTP_SCAN_REFUSED;
            }
          content_length = value;
          if (value.length == 0 || value.length > MAX_LENGTH_DIGITS)
            {
              refuse (refusal, 400, "malformed-request",
                      value.length == 0 ? "Content-Length is empty." : "Content-Length is too large.");
              return ENR_SERVICE_HTTP_SCAN_REFUSED;
            }
          head->content_length = 0;
          for (gsize i = 0; i < value.length; i++)
            {
              if (!g_ascii_isdigit (value.start[i]))
                {
                  refuse (refusal, 400, "malformed-request",
                          "Content-Length is not a single number.");
                  return ENR_SERVICE_HTTP_SCAN_REFUSED;
                }
              head->content_length = head->content_length * 10 + (value.start[i] - '0');
            }
        }
      else if (span_equal (name, "Transfer-Encoding"))
        {
          has_transfer_encoding = TRUE;
          each_element (value, add_coding, &codings);
        }
      else if (span_equal (name, "Host"))
        {
          n_hosts++;
          host = value;
        }
      else if (span_equal (name, "Connection"))
        each_element (value, find_close, &close);
      else if (span_equal (name, "Expect") && !span_equal (value, "100-continue"))
        {
          refuse (refusal, 417, "expectation-failed",
                  "The only expectation the service meets is “100-continue”.");
          return ENR_SERVICE_HTTP_SCAN_REFUSED;
        }

      p = eol + 2;
    }

  /* RFC 9112 §6.1 and §6.3 */
  if (has_transfer_encoding)
    {
      if (head->http_1_0)
        refuse (refusal, 400, "malformed-request", "Transfer-Encoding in an HTTP/1.0 request.");
      else if (content_length.start != NULL)
        refuse (refusal, 400, "malformed-request",
                "Both Transfer-Encoding and Content-Length: the length of the body is ambiguous.");
      else if (!codings.chunked_final)
        refuse (refusal, 400, "malformed-request",
                "The last transfer coding must be “chunked”.");
      else if (codings.chunked_twice)
        refuse (refusal, 400, "malformed-request", "“chunked” is applied more than once.");
      else if (codings.n_codings > 1)
        refuse (refusal, 501, "not-implemented",
                "The only transfer coding the service reads is “chunked”.");
      else
        head->body = ENR_SERVICE_HTTP_BODY_CHUNKED;

      if (head->body != ENR_SERVICE_HTTP_BODY_CHUNKED)
        return ENR_SERVICE_HTTP_SCAN_REFUSED;
    }
  else if (content_length.start != NULL)
    head->body = ENR_SERVICE_HTTP_BODY_LENGTH;

  /* RFC 9112 §3.2 */
  if (n_hosts > 1 || (n_hosts == 0 && !head->http_1_0))
    {
      refuse (refusal, 400, "malformed-request", "An HTTP/1.1 request has exactly one Host header.");
      return ENR_SERVICE_HTTP_SCAN_REFUSED;
    }
  if (n_hosts == 1 && memchr (host.start, '/', host.length) != NULL)
    {
      refuse (refusal, 400, "malformed-request", "The Host header contains “/”.");
      return ENR_SERVICE_HTTP_SCAN_REFUSED;
    }

  if (!check_target (target, host, n_hosts == 1, refusal))
    return ENR_SERVICE_HTTP_SCAN_REFUSED;

  head->keep_alive = !head->http_1_0 && !close;

  return ENR_SERVICE_HTTP_SCAN_COMPLETE;
}

/* Chunked bodies (RFC 9112 §7.1) */

void
enr_service_chunked_framer_init (EnrServiceChunkedFramer *framer)
{
  memset (framer, 0, sizeof *framer);
  framer->state = CHUNK_SIZE;
}

gboolean
enr_service_chunked_framer_is_done (const EnrServiceChunkedFramer *framer)
{
  return framer->state == CHUNK_DONE;
}

gboolean
enr_service_chunked_framer_failed (const EnrServiceChunkedFramer *framer)
{
  return framer->state == CHUNK_FAILED;
}

static gsize
framer_fail (EnrServiceChunkedFramer *framer,
             gsize                    consumed,
             EnrServiceHttpRefusal   *refusal,
             const char              *detail)
{
  framer->state = CHUNK_FAILED;
  refuse (refusal, 400, "malformed-request", "%s", detail);

  return consumed;
}

/* Returns how many bytes of @data belong to the body: all of them, or
 * fewer when the body ends (or is found malformed) inside @data. */
gsize
enr_service_chunked_framer_feed (EnrServiceChunkedFramer *framer,
                                 const guint8            *data,
                                 gsize                    length,
                                 EnrServiceHttpRefusal   *refusal)
{
  gsize i = 0;

  while (i < length)
    {
      guint8 c = data[i];

      switch (framer->state)
        {
        case CHUNK_SIZE:
          if (g_ascii_isxdigit (c))
            {
              if (++framer->digits > MAX_CHUNK_DIGITS)
                return framer_fail (framer, i, refusal, "A chunk size is too large.");
              framer->remaining = framer->remaining * 16 + g_ascii_xdigit_value (c);
            }
          else if (framer->digits == 0)
            return framer_fail (framer, i, refusal, "A chunk does not start with its size in hexadecimal.");
          else if (c == ';')
            framer->state = CHUNK_EXTENSION;
          else if (c == '\r')
            framer->state = CHUNK_SIZE_LF;
          else
            return framer_fail (framer, i, refusal, "A chunk size is followed by something else than CRLF.");
          framer->line++;
          i++;
          break;

        case CHUNK_EXTENSION:
          if (c == '\r')
            framer->state = CHUNK_SIZE_LF;
          else if (!is_field_char (c))
            return framer_fail (framer, i, refusal, "A chunk extension contains a control character.");
          if (++framer->line > MAX_CHUNK_LINE)
            return framer_fail (framer, i, refusal, "A chunk extension is too long.");
          i++;
          break;

        case CHUNK_SIZE_LF:
          if (c != '\n')
            return framer_fail (framer, i, refusal, "A chunk size line does not end with CRLF.");
          framer->state = framer->remaining > 0 ? CHUNK_DATA : CHUNK_TRAILER_START;
          framer->line = 0;
          framer->digits = 0;
          i++;
          break;

        case CHUNK_DATA:
          {
            gsize take = (gsize) MIN ((guint64) (length - i), framer->remaining);

            framer->remaining -= take;
            i += take;
            if (framer->remaining == 0)
              framer->state = CHUNK_DATA_CR;
          }
          break;

        case CHUNK_DATA_CR:
          if (c != '\r')
            return framer_fail (framer, i, refusal, "A chunk is longer than its size.");
          framer->state = CHUNK_DATA_LF;
          i++;
          break;

        case CHUNK_DATA_LF:
          if (c != '\n')
            return framer_fail (framer, i, refusal, "A chunk does not end with CRLF.");
          framer->state = CHUNK_SIZE;
          i++;
          break;

        case CHUNK_TRAILER_START:
          if (c == '\r')
            framer->state = CHUNK_FINAL_LF;
          else if (++framer->trailers > MAX_TRAILERS)
            return framer_fail (framer, i, refusal, "Too many trailer fields.");
          else if (c == ' ' || c == '\t' || !is_field_char (c))
            return framer_fail (framer, i, refusal, "A trailer field is malformed.");
          else
            {
              framer->state = CHUNK_TRAILER;
              framer->line = 1;
            }
          i++;
          break;

        case CHUNK_TRAILER:
          if (c == '\r')
            framer->state = CHUNK_TRAILER_LF;
          else if (!is_field_char (c))
            return framer_fail (framer, i, refusal, "A trailer field contains a control character.");
          else if (++framer->line > MAX_CHUNK_LINE)
            return framer_fail (framer, i, refusal, "A trailer field is too long.");
          i++;
          break;

        case CHUNK_TRAILER_LF:
          if (c != '\n')
            return framer_fail (framer, i, refusal, "A trailer field does not end with CRLF.");
          framer->state = CHUNK_TRAILER_START;
          i++;
          break;

        case CHUNK_FINAL_LF:
          if (c != '\n')
            return framer_fail (framer, i, refusal, "The chunked body does not end with CRLF.");
          framer->state = CHUNK_DONE;
          return i + 1;

        case CHUNK_DONE:
        case CHUNK_FAILED:
        default:
          return i;
        }
    }

  return i;
}
