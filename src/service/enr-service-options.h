/* enr-service-options.h — enrollment-service's options: flags and configuration file
 *
 * One table (enr-service-options.c) describes every option once; it
 * becomes both the command-line flag --NAME and the key NAME= of the
 * [service] group of the configuration file, parsed and checked by the
 * same code. A flag given on the command line overrides the file; the
 * file overrides the built-in default.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "enr-service-server.h"

G_BEGIN_DECLS

#define ENR_SERVICE_CONFIG_GROUP   "service"
#define ENR_SERVICE_DEFAULT_LISTEN "127.0.0.1:8765"

typedef struct
{
  char             *config_file;      /* --config; command line only */
  char             *listen;
  char             *database;
  char             *load;
  gboolean          demo;
  gboolean          migrate;
  char             *tls_certificate;
  char             *tls_key;
  char             *log_file;
  EnrServiceConfig  config;           /* the server's limits */

  /* Filled by enr_service_options_parse() */
  char             *command;          /* NULL (serve), "backup" or "restore" */
  char             *command_file;     /* the FILE of backup and restore */
  char             *config_read;      /* the configuration file read, if any */
  GHashTable       *given;            /* option names set on the command line */
} EnrServiceOptions;

void        enr_service_options_init          (EnrServiceOptions  *options);
void        enr_service_options_clear         (EnrServiceOptions  *options);

char       *enr_service_options_default_config_file (void);

GOptionContext *
            enr_service_options_new_context   (EnrServiceOptions  *options);
gboolean    enr_service_options_parse         (EnrServiceOptions  *options,
                                               int                *argc,
                                               char             ***argv,
                                               GError            **error);
gboolean    enr_service_options_load_config   (EnrServiceOptions  *options,
                                               const char         *path,
                                               gboolean            must_exist,
                                               GError            **error);
gboolean    enr_service_options_resolve       (EnrServiceOptions  *options,
                                               GError            **error);

char       *enr_service_find_sample_data      (void);

G_END_DECLS
