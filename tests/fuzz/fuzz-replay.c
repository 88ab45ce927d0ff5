/* fuzz-replay.c — runs every file of the fuzz corpus through the fuzz target once
 *
 * Without libFuzzer, so the normal build checks the target's properties on
 * every seed: fuzz-replay DIRECTORY|FILE...
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "fuzz-json.h"

static void
replay_file (gconstpointer data)
{
  const char *path = data;
  g_autofree char *contents = NULL;
  g_autofree char *base = g_path_get_basename (path);
  g_autoptr(GError) error = NULL;
  const char *separator;
  const char *decoder;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 0);
  g_assert_cmpuint (length, <=, 65536);

  /* "<decoder>--<label>": the first byte must select that decoder. */
  separator = strstr (base, "--");
  g_assert_nonnull (separator);
  g_assert_cmpuint ((guchar) contents[0], <, fuzz_json_n_decoders ());
  decoder = fuzz_json_decoder_name ((guint8) contents[0]);
  if (strlen (decoder) != (gsize) (separator - base) ||
      strncmp (base, decoder, separator - base) != 0)
    g_test_fail_printf ("%s: the first byte 0x%02x selects \"%s\"",
                        base, (guchar) contents[0], decoder);

  LLVMFuzzerTestOneInput ((const uint8_t *) contents, length);
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
add_path (GPtrArray  *paths,
          const char *path)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_ptr_array_add (paths, g_strdup (path));
      return;
    }

  dir = g_dir_open (path, 0, &error);
  g_assert_no_error (error);

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (name[0] != '.' && strstr (name, "--") != NULL)
        g_ptr_array_add (paths, g_build_filename (path, name, NULL));
    }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  int status;

  g_test_init (&argc, &argv, NULL);
  LLVMFuzzerInitialize (&argc, &argv);

  for (int i = 1; i < argc; i++)
    add_path (paths, argv[i]);
  g_ptr_array_sort (paths, compare_paths);

  if (paths->len == 0)
    g_error ("usage: fuzz-replay DIRECTORY|FILE...");

  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      g_autofree char *base = g_path_get_basename (path);
      g_autofree char *test_path = g_strconcat ("/fuzz-corpus/", base, NULL);

      g_test_add_data_func (test_path, path, replay_file);
    }

  status = g_test_run ();

  return status;
}
