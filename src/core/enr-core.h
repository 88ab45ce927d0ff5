/* enr-core.h — the domain core in one include
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "enr-enums.h"
#include "enr-enum-types.h"
#include "enr-enum-labels.h"
#include "enr-equal.h"
#include "enr-json.h"
#include "enr-codec.h"
#include "enr-entity.h"

/* models */
#include "enr-action-method.h"
#include "enr-activity-type.h"
#include "enr-answer.h"
#include "enr-appointment.h"
#include "enr-code-value.h"
#include "enr-consent.h"
#include "enr-crew.h"
#include "enr-crew-shift.h"
#include "enr-crew-shift-type.h"
#include "enr-customer.h"
#include "enr-customer-communication.h"
#include "enr-device.h"
#include "enr-device-location.h"
#include "enr-initiative.h"
#include "enr-interaction.h"
#include "enr-metered-service.h"
#include "enr-process-flow.h"
#include "enr-program.h"
#include "enr-program-exclusion.h"
#include "enr-program-subscription.h"
#include "enr-program-type.h"
#include "enr-question.h"
#include "enr-service-point.h"
#include "enr-service-task.h"
#include "enr-service-task-type.h"
#include "enr-task-transition.h"
#include "enr-user.h"

/* rules */
#include "enr-crew-shifts.h"
#include "enr-eligibility.h"
#include "enr-slot-finder.h"
#include "enr-step-plan.h"
#include "enr-validation.h"
#include "enr-import-csv.h"
#include "enr-lifecycle.h"
#include "enr-device-setup.h"
