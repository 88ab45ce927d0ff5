/* enr-enum-labels.h — what the user reads for the values of the code lists
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-enums.h"

G_BEGIN_DECLS

const char *enr_installation_method_label    (EnrInstallationMethod method);
const char *enr_consent_method_label         (EnrConsentMethod      method);
const char *enr_removal_method_label         (EnrRemovalMethod      method);
const char *enr_asset_ownership_label        (EnrAssetOwnership     ownership);
const char *enr_task_status_label            (EnrTaskStatus         status);
const char *enr_flow_status_label            (EnrFlowStatus         status);
const char *enr_device_status_label          (EnrDeviceStatus       status);
const char *enr_asset_type_label             (EnrAssetType          asset_type);
const char *enr_service_type_label           (EnrServiceType        service_type);
const char *enr_metered_service_status_label (EnrMeteredServiceStatus status);
const char *enr_subscription_status_label    (EnrSubscriptionStatus status);
const char *enr_task_kind_label              (EnrTaskKind           kind);

char       *enr_date_label                   (const GDate          *date);

G_END_DECLS
