// The services the collector uses, in one include: the headers every message shares and
// the requests and responses by service group.
#pragma once

#include "connect/opcua/ua_service_header.h"
#include "connect/opcua/ua_session_services.h"
#include "connect/opcua/ua_subscription_services.h"
#include "connect/opcua/ua_view_services.h"
