// iotjobs — a header-only C++17 codec for the AWS IoT Jobs data plane. The umbrella header.
#ifndef IOTJOBS_IOTJOBS_HPP
#define IOTJOBS_IOTJOBS_HPP

#include "iotjobs/commands.hpp"
#include "iotjobs/decoder.hpp"
#include "iotjobs/documents.hpp"
#include "iotjobs/error.hpp"
#include "iotjobs/https.hpp"
#include "iotjobs/messages.hpp"
#include "iotjobs/model.hpp"
#include "iotjobs/mqtt.hpp"
#include "iotjobs/runner.hpp"
#include "iotjobs/schema.hpp"
#include "iotjobs/service.hpp"
#include "iotjobs/validate.hpp"
#include "iotjobs/version.hpp"

#endif  // IOTJOBS_IOTJOBS_HPP
