// What the C++ examples of README.md leave to the reader: the application's own names, declared
// so that tests/readme/compile_tour.py can compile the examples as they are written.
#include <iotjobs/iotjobs.hpp>
#include <mosquitto.h>

#include <optional>
#include <string_view>

inline std::string_view my_thing;
inline mosquitto* mosq;
void log(std::string_view what, std::size_t offset);
void log(std::string_view what);
void start(std::string_view job_id, std::string_view job_document);
void start(const iotjobs::job_execution_view& execution);
void retry_or_repair(iotjobs::mqtt::topic_kind on, iotjobs::rejection_code code,
                     const std::optional<iotjobs::job_execution_state_view>& state);
void retry_later(iotjobs::service_exception type, iotjobs::fault fault);
extern iotjobs::decoder dec;
extern iotjobs::start_next_pending_job_execution_request next;
extern int status;
extern std::string_view x_amzn_error_type_header, body;
