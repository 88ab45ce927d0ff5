/* test-service-http.c — the request head and chunked body checks that run
 * before libsoup parses a request (enr-service-http.h): table tests of
 * every framing rule of RFC 9112 §6 the service enforces, the limits, the
 * path and query checks, and the chunked framer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "enr-service-http.h"

static const EnrServiceHttpLimits limits = { 1024, 10 };

/* Tells which case runs; its bytes (CR, LF, NUL, invalid UTF-8) escaped,
 * so the TAP output stays one valid UTF-8 line per case. */
static void
describe (const char *label,
          const char *bytes)
{
  g_autofree char *escaped = g_strescape (bytes, NULL);

  g_test_message ("%s: %s", label, escaped);
}

typedef struct
{
  const char *head;
  guint       status;     /* 0: accepted */
  const char *slug;
} HeadCase;

static void
check_heads (const HeadCase *cases,
             guint           n_cases)
{
  for (guint i = 0; i < n_cases; i++)
    {
      EnrServiceHttpHead head;
      EnrServiceHttpRefusal refusal = { 0, };
      gsize scanned = 0;
      EnrServiceHttpScan scan;
      g_autofree char *label = g_strdup_printf ("%u", i);

      describe (label, cases[i].head);
      scan = enr_service_http_scan_head ((const guint8 *) cases[i].head, strlen (cases[i].head),
                                         &scanned, &limits, &head, &refusal);
      if (cases[i].status == 0)
        {
          if (scan == ENR_SERVICE_HTTP_SCAN_REFUSED)
            g_test_message ("refused: %s", refusal.detail);
          g_assert_cmpint (scan, ==, ENR_SERVICE_HTTP_SCAN_COMPLETE);
        }
      else
        {
          g_assert_cmpint (scan, ==, ENR_SERVICE_HTTP_SCAN_REFUSED);
          g_assert_cmpuint (refusal.status, ==, cases[i].status);
          g_assert_cmpstr (refusal.slug, ==, cases[i].slug);
          g_assert_nonnull (refusal.detail);
        }
      enr_service_http_refusal_clear (&refusal);
    }
}

#define GET(extra) "GET /v1/customers HTTP/1.1\r\nHost: localhost\r\n" extra "\r\n"
#define POST(extra) "POST /v1/sessions HTTP/1.1\r\nHost: localhost\r\n" extra "\r\n"

/* RFC 9112 §6.1 and §6.3: every ambiguous framing is a 400. */
static void
test_framing (void)
{
  static const HeadCase cases[] = {
    { POST ("Content-Length: 4\r\n"), 0, NULL },
    { POST ("Transfer-Encoding: chunked\r\n"), 0, NULL },
    { POST ("Transfer-Encoding: Chunked\r\n"), 0, NULL },
    { POST ("Transfer-Encoding: chunked\r\nContent-Length: 4\r\n"), 400, "malformed-request" },
    { POST ("Content-Length: 4\r\nTransfer-Encoding: chunked\r\n"), 400, "malformed-request" },
    { POST ("Transfer-Encoding: xchunked\r\n"), 400, "malformed-request" },
    { POST ("Transfer-Encoding: xchunked\r\nContent-Length: 4\r\n"), 400, "malformed-request" },
    { POST ("Transfer-Encoding: chunked, identity\r\n"), 400, "malformed-request" },
    { POST ("Transfer-Encoding: chunked, identity\r\nContent-Length: 4\r\n"), 400, "malformed-request" },
    { POST ("Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n"), 400, "malformed-request" },
    { POST ("Transfer-Encoding: chunked, chunked\r\n"), 400, "malformed-request" },
    { POST ("Transfer-Encoding: chunked;x=1\r\n"), 400, "malformed-request" },
    { POST ("Transfer-Encoding: \r\n"), 400, "malformed-request" },
    { POST ("Transfer-Encoding: gzip, chunked\r\n"), 501, "not-implemented" },
    { POST ("Transfer-Encoding : chunked\r\n"), 400, "malformed-request" },
    { POST ("Transfer-Encoding\t: chunked\r\n"), 400, "malformed-request" },
    { POST ("Content-Length : 4\r\n"), 400, "malformed-request" },
    { POST ("Content-Length: 4\r\nContent-Length: 5\r\n"), 400, "malformed-request" },
    { POST ("Content-Length: 4\r\nContent-Length: 4\r\n"), 400, "malformed-request" },
    { POST ("Content-Length: 4, 5\r\n"), 400, "malformed-request" },
    { POST ("Content-Length: +4\r\n"), 400, "malformed-request" },
    { POST ("Content-Length: 0x4\r\n"), 400, "malformed-request" },
    { POST ("Content-Length: \r\n"), 400, "malformed-request" },
    { POST ("Content-Length: 9999999999999999999\r\n"), 400, "malformed-request" },
    { "POST /v1/sessions HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400, "malformed-request" },
    { POST ("X-Folded: a\r\n b\r\n"), 400, "malformed-request" },
    { POST ("\tX: a\r\n"), 400, "malformed-request" },
  };

  check_heads (cases, G_N_ELEMENTS (cases));
}

static void
test_syntax (void)
{
  static const HeadCase cases[] = {
    { GET (""), 0, NULL },
    { "\r\n\r\n" GET (""), 0, NULL },
    { "GET /v1/customers HTTP/1.0\r\n\r\n", 0, NULL },
    { "GET http://localhost/v1/customers HTTP/1.1\r\nHost: localhost\r\n\r\n", 0, NULL },
    { GET ("Expect: 100-continue\r\n"), 0, NULL },
    { GET ("X-Obs-Text: caf\xc3\xa9\r\n"), 0, NULL },
    { "GET /v1/customers HTTP/1.1\nHost: localhost\n\n", 400, "malformed-request" },
    { "GET /v1/customers HTTP/1.1\r\nHost: localhost\n\r\n", 400, "malformed-request" },
    { "GET /v1/customers HTTP/1.1\r\nHost: local\rhost\r\n\r\n", 400, "malformed-request" },
    { "GET  /v1/customers HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, "malformed-request" },
    { "GET\t/v1/customers HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, "malformed-request" },
    { "GET /v1/customers\r\nHost: localhost\r\n\r\n", 400, "malformed-request" },
    { "GET /v1/customers HTTP/1.1 \r\nHost: localhost\r\n\r\n", 400, "malformed-request" },
    { "GET /v1/customers http/1.1\r\nHost: localhost\r\n\r\n", 400, "malformed-request" },
    { "GET /v1/customers HTTP/2.0\r\nHost: localhost\r\n\r\n", 505, "http-version-not-supported" },
    { "GET /v1/customers HTTP/1.2\r\nHost: localhost\r\n\r\n", 505, "http-version-not-supported" },
    { "G(T /v1/customers HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, "malformed-request" },
    { "GET /v1/cust\x80mers HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, "malformed-request" },
    { "GET /v1/customers HTTP/1.1\r\n\r\n", 400, "malformed-request" },
    { GET ("Host: other\r\n"), 400, "malformed-request" },
    { "GET /v1/customers HTTP/1.1\r\nHost: a/b\r\n\r\n", 400, "malformed-request" },
    { "GET /v1/customers HTTP/1.1\r\nHost: [zz\r\n\r\n", 400, "malformed-request" },
    { GET ("X-Control: a\x01" "b\r\n"), 400, "malformed-request" },
    { GET ("X-Delete: a\x7f\r\n"), 400, "malformed-request" },
    { GET ("No colon\r\n"), 400, "malformed-request" },
    { GET (": empty name\r\n"), 400, "malformed-request" },
    { GET ("Na(me: x\r\n"), 400, "malformed-request" },
    { GET ("Expect: 200-ok\r\n"), 417, "expectation-failed" },
    { "CONNECT localhost:80 HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, "malformed-request" },
    { "OPTIONS * HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, "malformed-request" },
    { "GET https://localhost/v1/customers HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, "malformed-request" },
    { "GET /v1/customers#top HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, "malformed-request" },
  };

  check_heads (cases, G_N_ELEMENTS (cases));
}

/* A NUL anywhere, even before the blank line arrives, is refused at once. */
static void
test_nul (void)
{
  static const char head[] = "GET /v1/cus\0tomers HTTP/1.1\r\nHost: localhost\r\n\r\n";
  EnrServiceHttpHead parsed;
  EnrServiceHttpRefusal refusal = { 0, };
  gsize scanned = 0;

  g_assert_cmpint (enr_service_http_scan_head ((const guint8 *) head, 14, &scanned, &limits,
                                               &parsed, &refusal), ==, ENR_SERVICE_HTTP_SCAN_REFUSED);
  g_assert_cmpuint (refusal.status, ==, 400);
  enr_service_http_refusal_clear (&refusal);
}

static void
test_targets (void)
{
  static const HeadCase cases[] = {
    { "GET /v1/customers/cust-0001 HTTP/1.1\r\nHost: h\r\n\r\n", 0, NULL },
    { "GET /v1/customers?q=Mar%C3%ADa+Lopez&page=2 HTTP/1.1\r\nHost: h\r\n\r\n", 0, NULL },
    { "GET /v1/customers?q= HTTP/1.1\r\nHost: h\r\n\r\n", 0, NULL },
    { "GET /v1/customers/a%20b HTTP/1.1\r\nHost: h\r\n\r\n", 0, NULL },
    { "GET /v1/customers/a%00b HTTP/1.1\r\nHost: h\r\n\r\n", 400, "invalid-parameter" },
    { "GET /v1/customers/a%2fb HTTP/1.1\r\nHost: h\r\n\r\n", 400, "invalid-parameter" },
    { "GET /v1/customers/a%2Fb HTTP/1.1\r\nHost: h\r\n\r\n", 400, "invalid-parameter" },
    { "GET /v1/customers/%ff HTTP/1.1\r\nHost: h\r\n\r\n", 400, "invalid-parameter" },
    { "GET /v1/customers/%c3%28 HTTP/1.1\r\nHost: h\r\n\r\n", 400, "invalid-parameter" },
    { "GET /v1/customers/%zz HTTP/1.1\r\nHost: h\r\n\r\n", 400, "invalid-parameter" },
    { "GET /v1/customers/% HTTP/1.1\r\nHost: h\r\n\r\n", 400, "invalid-parameter" },
    { "GET /v1/customers/%4 HTTP/1.1\r\nHost: h\r\n\r\n", 400, "invalid-parameter" },
    { "GET /v1/../v1/customers HTTP/1.1\r\nHost: h\r\n\r\n", 400, "invalid-parameter" },
    { "GET /v1/%2e%2e/customers HTTP/1.1\r\nHost: h\r\n\r\n", 400, "invalid-parameter" },
    { "GET /v1/./customers HTTP/1.1\r\nHost: h\r\n\r\n", 400, "invalid-parameter" },
    { "GET /v1/crew-shifts?from=2026-01-01%00garbage HTTP/1.1\r\nHost: h\r\n\r\n", 400, "invalid-parameter" },
    { "GET /v1/customers?q=%ff HTTP/1.1\r\nHost: h\r\n\r\n", 400, "invalid-parameter" },
    { "GET /v1/customers?q%00=1 HTTP/1.1\r\nHost: h\r\n\r\n", 400, "invalid-parameter" },
    { "GET /v1/customers?q=%g1 HTTP/1.1\r\nHost: h\r\n\r\n", 400, "invalid-parameter" },
    { "GET /v1/customers?q=a%2Fb HTTP/1.1\r\nHost: h\r\n\r\n", 0, NULL },
    { "GET http://h/v1/customers/a%00 HTTP/1.1\r\nHost: h\r\n\r\n", 400, "invalid-parameter" },
  };

  check_heads (cases, G_N_ELEMENTS (cases));
}

static void
test_limits (void)
{
  g_autoptr(GString) big = g_string_new ("GET /v1/customers HTTP/1.1\r\nHost: h\r\nX: ");
  g_autoptr(GString) many = g_string_new ("GET /v1/customers HTTP/1.1\r\nHost: h\r\n");
  EnrServiceHttpHead head;
  EnrServiceHttpRefusal refusal = { 0, };
  gsize scanned = 0;

  /* Not complete, but over the limit already */
  for (guint i = 0; i < limits.max_bytes; i++)
    g_string_append_c (big, 'a');
  g_assert_cmpint (enr_service_http_scan_head ((const guint8 *) big->str, big->len, &scanned, &limits,
                                               &head, &refusal), ==, ENR_SERVICE_HTTP_SCAN_REFUSED);
  g_assert_cmpuint (refusal.status, ==, 431);
  g_assert_cmpstr (refusal.slug, ==, "header-fields-too-large");
  enr_service_http_refusal_clear (&refusal);

  for (guint i = 0; i < limits.max_fields; i++)
    g_string_append_printf (many, "X-%u: y\r\n", i);
  g_string_append (many, "\r\n");
  scanned = 0;
  g_assert_cmpint (enr_service_http_scan_head ((const guint8 *) many->str, many->len, &scanned, &limits,
                                               &head, &refusal), ==, ENR_SERVICE_HTTP_SCAN_REFUSED);
  g_assert_cmpuint (refusal.status, ==, 431);
  enr_service_http_refusal_clear (&refusal);
}

/* A head arriving a byte at a time is complete exactly at its blank line;
 * what follows is left for the body. */
static void
test_incremental (void)
{
  static const char data[] = "\r\nPOST /v1/sessions HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n"
                             "Connection: close\r\n\r\n{}";
  gsize total = strlen (data);
  EnrServiceHttpHead head;
  EnrServiceHttpRefusal refusal = { 0, };
  gsize scanned = 0;
  gsize length;

  for (length = 0; length <= total; length++)
    {
      EnrServiceHttpScan scan = enr_service_http_scan_head ((const guint8 *) data, length, &scanned,
                                                            &limits, &head, &refusal);

      if (scan == ENR_SERVICE_HTTP_SCAN_COMPLETE)
        break;
      g_assert_cmpint (scan, ==, ENR_SERVICE_HTTP_SCAN_INCOMPLETE);
    }

  g_assert_cmpuint (length, ==, total - 2);
  g_assert_cmpuint (head.skipped, ==, 2);
  g_assert_cmpuint (head.length, ==, total - 4);
  g_assert_cmpint (head.body, ==, ENR_SERVICE_HTTP_BODY_LENGTH);
  g_assert_cmpuint (head.content_length, ==, 2);
  g_assert_false (head.keep_alive);
  g_assert_false (head.http_1_0);
}

static void
test_keep_alive (void)
{
  static const struct
  {
    const char *head;
    gboolean    keep_alive;
  } cases[] = {
    { "GET / HTTP/1.1\r\nHost: h\r\n\r\n", TRUE },
    { "GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\n\r\n", TRUE },
    { "GET / HTTP/1.1\r\nHost: h\r\nConnection: Keep-Alive, Close\r\n\r\n", FALSE },
    { "GET / HTTP/1.0\r\n\r\n", FALSE },
    { "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      EnrServiceHttpHead head;
      EnrServiceHttpRefusal refusal = { 0, };
      gsize scanned = 0;

      g_assert_cmpint (enr_service_http_scan_head ((const guint8 *) cases[i].head, strlen (cases[i].head),
                                                   &scanned, &limits, &head, &refusal),
                       ==, ENR_SERVICE_HTTP_SCAN_COMPLETE);
      g_assert_cmpint (head.keep_alive, ==, cases[i].keep_alive);
      g_assert_cmpint (head.body, ==, ENR_SERVICE_HTTP_BODY_NONE);
    }
}

static void
test_chunked (void)
{
  static const struct
  {
    const char *body;
    gssize      length;   /* of the body within it; -1: refused; -2: incomplete */
  } cases[] = {
    { "0\r\n\r\n", 5 },
    { "0\r\n\r\nGET / HTTP/1.1\r\n", 5 },
    { "4\r\nabcd\r\n0\r\n\r\n", 14 },
    { "4;ext=1\r\nabcd\r\nA\r\n0123456789\r\n0\r\n\r\nnext", 35 },
    { "4\r\nabcd\r\n0\r\nTrailer: x\r\n\r\nnext", 26 },
    { "4\r\nabcd\r\n0\r\n", -2 },
    { "4\r\nab", -2 },
    { "\r\n", -1 },
    { "x\r\n", -1 },
    { "4 \r\nabcd\r\n0\r\n\r\n", -1 },
    { "4\nabcd\r\n0\r\n\r\n", -1 },
    { "4\r\nabcde\r\n0\r\n\r\n", -1 },
    { "4\r\nabcd\n0\r\n\r\n", -1 },
    { "4\r\nabcd\r\n0\r\n\n", -1 },
    { "4\r\nabcd\r\n0\r\n Trailer: x\r\n\r\n", -1 },
    { "4\r\nabcd\r\n0\r\nTrailer: x\n\r\n", -1 },
    { "1000000000000000\r\n", -1 },
    { "-1\r\n", -1 },
    { "0x4\r\nabcd\r\n0\r\n\r\n", -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize length = strlen (cases[i].body);

      /* Whole, then a byte at a time */
      for (guint step = 0; step < 2; step++)
        {
          EnrServiceChunkedFramer framer;
          EnrServiceHttpRefusal refusal = { 0, };
          gsize consumed = 0;
          g_autofree char *label = g_strdup_printf ("%u (%s)", i, step == 0 ? "whole" : "bytes");

          describe (label, cases[i].body);
          enr_service_chunked_framer_init (&framer);
          if (step == 0)
            consumed = enr_service_chunked_framer_feed (&framer, (const guint8 *) cases[i].body, length, &refusal);
          else
            for (gsize j = 0; j < length && !enr_service_chunked_framer_is_done (&framer) &&
                              !enr_service_chunked_framer_failed (&framer); j++)
              consumed += enr_service_chunked_framer_feed (&framer, (const guint8 *) cases[i].body + j, 1,
                                                           &refusal);

          if (cases[i].length == -1)
            {
              g_assert_true (enr_service_chunked_framer_failed (&framer));
              g_assert_cmpuint (refusal.status, ==, 400);
            }
          else if (cases[i].length == -2)
            {
              g_assert_false (enr_service_chunked_framer_failed (&framer));
              g_assert_false (enr_service_chunked_framer_is_done (&framer));
              g_assert_cmpuint (consumed, ==, length);
            }
          else
            {
              g_assert_true (enr_service_chunked_framer_is_done (&framer));
              g_assert_cmpuint (consumed, ==, (gsize) cases[i].length);
            }
          enr_service_http_refusal_clear (&refusal);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/service-http/framing", test_framing);
  g_test_add_func ("/service-http/syntax", test_syntax);
  g_test_add_func ("/service-http/nul", test_nul);
  g_test_add_func ("/service-http/targets", test_targets);
  g_test_add_func ("/service-http/limits", test_limits);
  g_test_add_func ("/service-http/incremental", test_incremental);
  g_test_add_func ("/service-http/keep-alive", test_keep_alive);
  g_test_add_func ("/service-http/chunked", test_chunked);

  return g_test_run ();
}
