// statusDetails borrow their entries: a temporary vector would be gone before the encode.
// expect: deleted|no match|no viable
#include <iotjobs/mqtt.hpp>

#include <vector>

int main() {
  iotjobs::update_job_execution_request req;
  req.thing_name = "t";
  req.job_id = "j";
  const std::vector<iotjobs::status_detail> details{{"step", "download"}};
#ifdef IOTJOBS_MISUSE
  req.status_details = std::vector<iotjobs::status_detail>{{"step", "download"}};
  return iotjobs::mqtt::encoded_size(req) ? 0 : 1;
#else
  req.status_details = details;
  return iotjobs::mqtt::encoded_size(req) ? 0 : 1;
#endif
}
