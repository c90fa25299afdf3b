#!/usr/bin/env python3
"""Golden runs of the iotjobs tool: each case is a command line, its standard input, and the exact
standard output and exit status it must give (and, for failures, text standard error must hold).
Over every run: no output object has a member twice, and every error name printed is one of
iotjobs::name()'s (read from include/iotjobs/error.hpp).
Usage: test_cli.py PATH_TO_iotjobs TESTS_DIR"""
import json
import pathlib
import re
import subprocess
import sys

tool, tests = sys.argv[1], pathlib.Path(sys.argv[2])
mqtt, https = tests / "data" / "mqtt", tests / "data" / "https"
# The names iotjobs::name() returns: the string literals of its switch.
error_hpp = (tests.parent / "include" / "iotjobs" / "error.hpp").read_text()
NAMES = set(re.findall(r'case error::\w+: return "(\w+)";',
                       error_hpp[error_hpp.index("constexpr std::string_view name("):]))

UPDATE_FULL = ('{"thingName":"t1","jobId":"j1","status":"SUCCEEDED","statusDetails":{"a":"b"},'
               '"stepTimeoutInMinutes":-1,"expectedVersion":2,"includeJobExecutionState":true,'
               '"includeJobDocument":true,"executionNumber":1,"clientToken":"tok"}')
COMMAND = ('{"targetArn":"arn:aws:iot:us-east-1:123456789012:thing/t1",'
           '"commandArn":"arn:aws:iot:us-east-1:123456789012:command/c1",'
           '"parameters":{"s":{"S":"hello"},"b":{"B":true},"i":{"I":5},"l":{"L":1234567890123},'
           '"d":{"D":1.5},"bin":{"BIN":"AQID"},"ul":{"UL":"18446744073709551615"}},'
           '"executionTimeoutSeconds":60,"clientToken":"444f8f5d-bf38-417e-a7f0-8741e156b660"}')

# `iotjobs policy --thing dev-1 --client-id dev-1-agent --region us-east-1 --account 123456789012`
POLICY = """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "iot:Connect",
      "Resource": [
        "arn:aws:iot:us-east-1:123456789012:client/dev-1-agent"
      ]
    },
    {
      "Effect": "Allow",
      "Action": "iot:Subscribe",
      "Resource": [
        "arn:aws:iot:us-east-1:123456789012:topicfilter/$aws/things/dev-1/jobs/notify-next",
        "arn:aws:iot:us-east-1:123456789012:topicfilter/$aws/things/dev-1/jobs/notify",
        "arn:aws:iot:us-east-1:123456789012:topicfilter/$aws/things/dev-1/jobs/+/get/+",
        "arn:aws:iot:us-east-1:123456789012:topicfilter/$aws/things/dev-1/jobs/+/update/+"
      ]
    },
    {
      "Effect": "Allow",
      "Action": "iot:Receive",
      "Resource": [
        "arn:aws:iot:us-east-1:123456789012:topic/$aws/things/dev-1/jobs/notify-next",
        "arn:aws:iot:us-east-1:123456789012:topic/$aws/things/dev-1/jobs/notify",
        "arn:aws:iot:us-east-1:123456789012:topic/$aws/things/dev-1/jobs/*/get/accepted",
        "arn:aws:iot:us-east-1:123456789012:topic/$aws/things/dev-1/jobs/*/get/rejected",
        "arn:aws:iot:us-east-1:123456789012:topic/$aws/things/dev-1/jobs/*/update/accepted",
        "arn:aws:iot:us-east-1:123456789012:topic/$aws/things/dev-1/jobs/*/update/rejected"
      ]
    },
    {
      "Effect": "Allow",
      "Action": "iot:Publish",
      "Resource": [
        "arn:aws:iot:us-east-1:123456789012:topic/$aws/things/dev-1/jobs/*/get",
        "arn:aws:iot:us-east-1:123456789012:topic/$aws/things/dev-1/jobs/*/update"
      ]
    }
  ]
}
"""

# (arguments, stdin, expected stdout, expected exit status, text stderr must contain)
CASES = [
    # issue 15: numbers as the AWS clients read them, Greengrass namespaces, commands in CBOR
    (["decode", "--topic", "$aws/things/t/jobs/j/update/accepted"],
     '{"executionState":{"status":"IN_PROGRESS","versionNumber":2.0,"statusDetails":{"n":null,"k":"v"}},'
     '"timestamp":1.7000000005e9}',
     '{"kind":"update_accepted","thingName":"t","jobId":"j","executionState":{"status":"IN_PROGRESS",'
     '"statusDetails":{"k":"v"},"versionNumber":2},"timestamp":1700000000}\n', 0, ""),
    (["decode", "--topic", "$aws/things/t/jobs/j/update/accepted"],
     '{"executionState":{"status":"IN_PROGRESS","versionNumber":2.5}}', "", 1,
     'wrong_type at byte 58 (member "versionNumber")'),
    (["decode", "--topic", "$aws/things/core/jobs/notify-next-namespace-aws-gg-deployment"], '{"timestamp":5}',
     '{"kind":"notify_next","thingName":"core","namespaceId":"aws-gg-deployment","timestamp":5}\n', 0, ""),
    (["decode", "--topic", "$aws/things/core/jobs/$next/namespace-aws-gg-deployment/get/accepted"], '{}',
     '{"kind":"describe_accepted","thingName":"core","jobId":"$next","namespaceId":"aws-gg-deployment"}\n',
     0, ""),
    (["encode", "update-job-execution", "--input",
      '{"thingName":"core","jobId":"d1","namespaceId":"aws-gg-deployment","status":"SUCCEEDED"}'], "",
     '{"topic":"$aws/things/core/jobs/d1/namespace-aws-gg-deployment/update","payload":"{\\"status\\":\\"SUCCEEDED\\"}"}\n',
     0, ""),
    (["encode", "update-job-execution", "--http", "--input",
      '{"thingName":"core","jobId":"d1","namespaceId":"aws-gg-deployment","status":"SUCCEEDED"}'], "", "", 1,
     "unsupported_field"),
    (["encode", "update-job-execution", "--input",
      '{"thingName":"t","jobId":"j","status":"FAILED","statusDetails":{"k":"1","k":"2"}}'], "", "", 1,
     "duplicate_key"),
    (["encode", "update-command-execution", "--input",
      '{"thingName":"t","executionId":"e","status":"TIMED_OUT","format":"cbor"}'], "",
     '{"topic":"$aws/commands/things/t/executions/e/response/cbor","payloadHex":"a1667374617475736954494d45445f4f5554"}\n',
     0, ""),
    (["encode", "update-command-execution", "--format", "payload", "--input",
      '{"thingName":"t","executionId":"e","status":"TIMED_OUT","format":"cbor"}'], "",
     "a1667374617475736954494d45445f4f5554\n", 0, ""),
    (["encode", "update-command-execution", "--format", "line", "--input",
      '{"clientId":"c","executionId":"e","status":"SUCCEEDED","statusReason":{"reasonCode":"OK"},'
      '"result":{"ok":{"b":true},"raw":{"bin":"AQID"},"note":{"s":"hi"}}}'], "",
     '$aws/commands/clients/c/executions/e/response/json {"status":"SUCCEEDED","statusReason":{"reasonCode":"OK"},'
     '"result":{"ok":{"b":true},"raw":{"bin":"AQID"},"note":{"s":"hi"}}}\n', 0, ""),
    (["encode", "update-command-execution", "--format", "line", "--input",
      '{"thingName":"t","executionId":"e","status":"SUCCEEDED","format":"cbor"}'], "", "", 2, "--format line"),
    (["encode", "update-command-execution", "--input",
      '{"thingName":"t","executionId":"e","status":"SUCCEEDED","result":{"a.b":{"s":"x"}}}'], "", "", 1,
     "invalid_command_result"),
    (["encode", "update-command-execution", "--input", '{"executionId":"e","status":"SUCCEEDED"}'], "", "", 1,
     "give one of thingName and clientId"),
    # encode, MQTT
    (["encode", "get-pending-job-executions", "--input", '{"thingName":"T1","clientToken":"client-001"}'], "",
     '{"topic":"$aws/things/T1/jobs/get","payload":"{\\"clientToken\\":\\"client-001\\"}"}\n', 0, ""),
    (["encode", "start-next-pending-job-execution", "--input",
      '{"thingName":"T1","statusDetails":{"k":"v"},"stepTimeoutInMinutes":5}'], "",
     '{"topic":"$aws/things/T1/jobs/start-next","payload":"{\\"statusDetails\\":{\\"k\\":\\"v\\"},\\"stepTimeoutInMinutes\\":5}"}\n', 0, ""),
    (["encode", "describe-job-execution", "--input",
      '{"thingName":"T1","jobId":"$next","includeJobDocument":false,"executionNumber":0,"clientToken":"c-3"}'], "",
     '{"topic":"$aws/things/T1/jobs/$next/get","payload":"{\\"includeJobDocument\\":false,\\"executionNumber\\":0,\\"clientToken\\":\\"c-3\\"}"}\n', 0, ""),
    (["encode", "update-job-execution", "--input", UPDATE_FULL], "",
     '{"topic":"$aws/things/t1/jobs/j1/update","payload":"{\\"status\\":\\"SUCCEEDED\\",\\"statusDetails\\":{\\"a\\":\\"b\\"},'
     '\\"stepTimeoutInMinutes\\":-1,\\"expectedVersion\\":2,\\"includeJobExecutionState\\":true,\\"includeJobDocument\\":true,'
     '\\"executionNumber\\":1,\\"clientToken\\":\\"tok\\"}"}\n', 0, ""),
    # encode, HTTPS (the requests the AWS JS v3 client was captured sending, docs/wire-protocol.md §2)
    (["encode", "get-pending-job-executions", "--http", "--input", '{"thingName":"t1"}'], "",
     '{"method":"GET","path":"/things/t1/jobs","query":"","headers":{},"body":null}\n', 0, ""),
    (["encode", "start-next-pending-job-execution", "--http", "--input", '{"thingName":"t1"}'], "",
     '{"method":"PUT","path":"/things/t1/jobs/$next","query":"","headers":{"Content-Type":"application/json"},"body":"{}"}\n', 0, ""),
    (["encode", "describe-job-execution", "--http", "--input",
      '{"thingName":"my:thing_1-2","jobId":"job-1_a","includeJobDocument":false,"executionNumber":3}'], "",
     '{"method":"GET","path":"/things/my%3Athing_1-2/jobs/job-1_a","query":"executionNumber=3&includeJobDocument=false","headers":{},"body":null}\n', 0, ""),
    (["encode", "update-job-execution", "--http", "--input", UPDATE_FULL.replace(',"clientToken":"tok"', "")], "",
     '{"method":"POST","path":"/things/t1/jobs/j1","query":"","headers":{"Content-Type":"application/json"},'
     '"body":"{\\"status\\":\\"SUCCEEDED\\",\\"statusDetails\\":{\\"a\\":\\"b\\"},\\"stepTimeoutInMinutes\\":-1,'
     '\\"expectedVersion\\":2,\\"includeJobExecutionState\\":true,\\"includeJobDocument\\":true,\\"executionNumber\\":1}"}\n', 0, ""),
    (["encode", "start-command-execution", "--http", "--input", COMMAND], "",
     '{"method":"POST","path":"/command-executions","query":"","headers":{"Content-Type":"application/json"},"body":"'
     + COMMAND.replace('"', '\\"') + '"}\n', 0, ""),
    (["encode", "describe-job-execution", "--input", "@" + str(tests / "cli" / "describe-input.json")], "",
     '{"topic":"$aws/things/from-file/jobs/j9/get","payload":"{}"}\n', 0, ""),
    # decode, MQTT: every message kind
    (["decode", "--topic", "$aws/things/MyThing/jobs/notify-next", str(mqtt / "notify_next-doc.json")], "",
     '{"kind":"notify_next","thingName":"MyThing","timestamp":1517186779,"execution":{"jobId":"job3","status":"IN_PROGRESS",'
     '"queuedAt":1517017905,"startedAt":1517186779,"lastUpdatedAt":1517186779,"versionNumber":2,"executionNumber":1,'
     '"jobDocument":{"operation":"test"}}}\n', 0, ""),
    (["decode", "--topic", "$aws/things/t/jobs/notify"], '{"timestamp":1517189551,"jobs":{}}',
     '{"kind":"notify","thingName":"t","timestamp":1517189551,"jobs":{}}\n', 0, ""),
    (["decode", "--topic", "$aws/things/t/jobs/notify", str(mqtt / "notify-doc.json")], "",
     '{"kind":"notify","thingName":"t","timestamp":1517016948,"jobs":{"QUEUED":[{"jobId":"job1","queuedAt":1517016947,'
     '"lastUpdatedAt":1517016947,"executionNumber":1,"versionNumber":1}]}}\n', 0, ""),
    (["decode", "--topic", "$aws/things/t/jobs/get/accepted", str(mqtt / "get_pending_accepted-full.json")], "",
     '{"kind":"get_pending_accepted","thingName":"t","inProgressJobs":[{"jobId":"job-a","queuedAt":1700000000,"startedAt":1700000010,'
     '"lastUpdatedAt":1700000020,"executionNumber":1,"versionNumber":2}],"queuedJobs":[{"jobId":"job-b","queuedAt":1700000030,'
     '"lastUpdatedAt":1700000030,"executionNumber":1,"versionNumber":1},{"jobId":"job-c","queuedAt":1700000040,'
     '"lastUpdatedAt":1700000040,"executionNumber":2,"versionNumber":1}],"timestamp":1700000050,"clientToken":"client-001"}\n', 0, ""),
    (["decode", "--topic", "$aws/things/MyThing/jobs/start-next/accepted", str(mqtt / "start_next_accepted-nothing_pending.json")], "",
     '{"kind":"start_next_accepted","thingName":"MyThing","timestamp":1517189551,"clientToken":"c-empty"}\n', 0, ""),
    (["decode", "--topic", "$aws/things/t/jobs/$next/get/accepted"],
     '{"execution":{"jobId":"j","status":"QUEUED","statusDetails":{"n":"caf\\u00e9"},"jobDocument":{"a" : [1, 2]}},"timestamp":7}',
     '{"kind":"describe_accepted","thingName":"t","jobId":"$next","execution":{"jobId":"j","status":"QUEUED",'
     '"statusDetails":{"n":"caf\u00e9"},"jobDocument":{"a":[1,2]}},"timestamp":7}\n', 0, ""),
    (["decode", "--topic", "$aws/things/t/jobs/j/update/accepted", str(mqtt / "update_accepted-full.json")], "",
     '{"kind":"update_accepted","thingName":"t","jobId":"j","executionState":{"status":"SUCCEEDED","statusDetails":{"result":"ok"},'
     '"versionNumber":4},"jobDocument":{"operation":"reboot"},"timestamp":1700000200,"clientToken":"c-4"}\n', 0, ""),
    (["decode", "--topic", "$aws/things/t/jobs/j/update/rejected", str(mqtt / "update_rejected-version_mismatch.json")], "",
     '{"kind":"update_rejected","thingName":"t","jobId":"j","code":"VersionMismatch","message":"The expected version does not match '
     'the current version.","clientToken":"c-5","timestamp":1700000300,"executionState":{"status":"IN_PROGRESS",'
     '"statusDetails":{"step":"install"},"versionNumber":5}}\n', 0, ""),
    (["decode", "--topic", "$aws/things/t/jobs/get/rejected", str(mqtt / "get_pending_rejected-not_found.json")], "",
     '{"kind":"get_pending_rejected","thingName":"t","code":"ResourceNotFound","message":"Job execution job-x for thing my-thing '
     'not found.","clientToken":"c-6","timestamp":1700000301}\n', 0, ""),
    (["decode", "--topic", "$aws/commands/clients/c-1/executions/e-1/response/accepted/json"], '{"executionId":"e-1"}',
     '{"kind":"command_response_accepted","clientId":"c-1","executionId":"e-1"}\n', 0, ""),
    (["decode", "--topic", "$aws/commands/clients/c-1/executions/e-1/response/accepted/json"], '{"executionId":"e-2"}',
     '{"kind":"command_response_accepted","clientId":"c-1","executionId":"e-1","payloadExecutionId":"e-2"}\n', 0, ""),
    (["decode", "--topic", "$aws/commands/clients/c-1/executions/e-1/response/accepted"], '{}',
     '{"kind":"command_response_accepted","clientId":"c-1","executionId":"e-1"}\n', 0, ""),
    (["decode", "--topic", "$aws/commands/things/t/executions/e-1/response/rejected/json"],
     '{"error":"InvalidStateTransition","errorMessage":"done","executionId":"e-1"}',
     '{"kind":"command_response_rejected","thingName":"t","executionId":"e-1","error":"InvalidStateTransition","errorMessage":"done"}\n',
     0, ""),
    (["decode", "--topic", "$aws/commands/things/t/executions/e-1/request/json"], '{"a":1}', "", 1, "opaque"),
    # decode, MQTT requests (what the service, or a test double, receives)
    (["decode", "--topic", "$aws/things/T1/jobs/get"], "", '{"kind":"get_pending","thingName":"T1"}\n', 0, ""),
    (["decode", "--topic", "$aws/things/T1/jobs/start-next"], '{"statusDetails":{"k":"v"},"stepTimeoutInMinutes":5,"clientToken":"c"}',
     '{"kind":"start_next","thingName":"T1","statusDetails":{"k":"v"},"stepTimeoutInMinutes":5,"clientToken":"c"}\n', 0, ""),
    (["decode", "--topic", "$aws/things/T1/jobs/get/get"], '{"includeJobDocument":false,"executionNumber":3,"clientToken":"c-3"}',
     '{"kind":"describe","thingName":"T1","jobId":"get","includeJobDocument":false,"executionNumber":3,"clientToken":"c-3"}\n', 0, ""),
    (["decode", "--topic", "$aws/things/T1/jobs/j1/update"],
     '{"status":"IN_PROGRESS","statusDetails":{"step":"download"},"expectedVersion":"1","thingName":"T1","jobId":"j1"}',
     '{"kind":"update","thingName":"T1","jobId":"j1","status":"IN_PROGRESS","statusDetails":{"step":"download"},"expectedVersion":1}\n', 0, ""),
    (["decode", "--topic", "$aws/things/T1/jobs/j1/update"], '{"status":"QUEUED"}', "", 1, "invalid_update_status"),
    # decode, HTTPS: every operation, and errors (exit 0: a service error is data)
    (["decode", "--http", "describe-job-execution", "--status", "200", str(https / "describe-full.json")], "",
     '{"execution":{"jobId":"fw-update_42","thingName":"my:thing_1-2","status":"IN_PROGRESS","statusDetails":{"step":"download"},'
     '"queuedAt":1700000000,"startedAt":1700000060,"lastUpdatedAt":1700000120,"approximateSecondsBeforeTimedOut":9223372036854775807,'
     '"versionNumber":3,"executionNumber":-9223372036854775808,"jobDocument":"{\\"operation\\":\\"install\\",\\"url\\":'
     '\\"https://example.com/fw.bin\\",\\"note\\":\\"caf\\\\u00e9 \\\\\\"q\\\\\\"\\"}"}}\n', 0, ""),
    (["decode", "--http", "get-pending-job-executions", "--status", "200", str(https / "get_pending-full.json")], "",
     '{"inProgressJobs":[{"jobId":"job-a","queuedAt":1700000000,"startedAt":1700000010,"lastUpdatedAt":1700000020,"executionNumber":1,'
     '"versionNumber":2}],"queuedJobs":[{"jobId":"job-b","queuedAt":1700000030,"lastUpdatedAt":1700000030,"executionNumber":1,'
     '"versionNumber":1}]}\n', 0, ""),
    (["decode", "--http", "start-next-pending-job-execution", "--status", "200"], "", "{}\n", 0, ""),
    (["decode", "--http", "update-job-execution", "--status", "200", str(https / "update-full.json")], "",
     '{"executionState":{"status":"SUCCEEDED","statusDetails":{"a":"b"},"versionNumber":3},"jobDocument":"{\\"operation\\":\\"reboot\\"}"}\n', 0, ""),
    (["decode", "--http", "start-command-execution", "--status", "200", str(https / "start_command-full.json")], "",
     '{"executionId":"2bd65c51-4cfd-49e4-9310-d5cbfdbc8554"}\n', 0, ""),
    (["decode", "--http", "update-job-execution", "--status", "409", "--header", "x-amzn-ErrorType: InvalidStateTransitionException:http://x/"],
     '{"message":"bad","executionState":{"status":"SUCCEEDED","versionNumber":4}}',
     '{"error":{"name":"InvalidStateTransitionException","fault":"client","status":409,"message":"bad",'
     '"executionState":{"status":"SUCCEEDED","versionNumber":4}}}\n', 0, ""),
    (["decode", "--http", "describe-job-execution", "--status", "503", "--header", "Content-Type: text/plain"], "",
     '{"error":{"name":"Unknown","fault":"server","status":503}}\n', 0, ""),
    (["decode", "--http", "update-job-execution", "--status", "200"],
     '{"Output":{"__type":"com.amazon.coral.service#UnknownOperationException","message":null},"Version":"1.0"}',
     '{"error":{"name":"UnknownOperationException","fault":"client","status":200}}\n', 0, ""),
    # --stream: a captured session with a bad line in the middle; it goes on, and exits 1
    (["decode", "--stream", str(tests / "cli" / "session.txt")], "",
     '{"kind":"notify_next","thingName":"sensor-42","timestamp":1700000000,"execution":{"jobId":"fw-1","status":"QUEUED",'
     '"queuedAt":1699999990,"versionNumber":1,"executionNumber":1,"jobDocument":{"operation":"install"}}}\n'
     '{"kind":"start_next_accepted","thingName":"sensor-42","execution":{"jobId":"fw-1","thingName":"sensor-42","status":"IN_PROGRESS",'
     '"startedAt":1700000001,"versionNumber":2},"timestamp":1700000001,"clientToken":"c-1"}\n'
     '{"kind":"update_accepted","thingName":"sensor-42","jobId":"fw-1","executionState":{"status":"SUCCEEDED","versionNumber":3},'
     '"timestamp":1700000002,"clientToken":"c-2"}\n'
     '{"topic":"$aws/things/sensor-42/jobs/fw-1/update/rejected","error":"invalid_json at byte 109 (member \\"versionNumber\\"): the payload is not valid JSON"}\n'
     '{"kind":"notify","thingName":"sensor-42","timestamp":1700000004,"jobs":{}}\n'
     '{"kind":"notify_next","thingName":"sensor-42","timestamp":1700000005}\n', 1, ""),
    # exit 1: decode and validation errors, nothing on stdout
    (["decode", "--topic", "$aws/things/t/jobs/notify-next"], '{"timestamp":"soon"}', "", 1,
     'wrong_type at byte 19 (member "timestamp")'),
    (["decode", "--topic", "$aws/things/t/jobs/notify-next"], '{"timestamp":1', "", 1, "invalid_json"),
    # a decoded statusDetails key or status group is any text: written back escaped
    (["decode", "--topic", "$aws/things/t/jobs/notify-next"],
     r'{"execution":{"jobId":"j","status":"QUEUED","statusDetails":{"a\"b":"c\\d"}}}',
     r'{"kind":"notify_next","thingName":"t","execution":{"jobId":"j","status":"QUEUED","statusDetails":{"a\"b":"c\\d"}}}' + "\n",
     0, ""),
    (["decode", "--topic", "$aws/things/t/jobs/notify"], r'{"jobs":{"ODD\"ONE":[]}}',
     r'{"kind":"notify","thingName":"t","jobs":{"ODD\"ONE":[]}}' + "\n", 0, ""),
    (["decode", "--topic", "$aws/things/+/jobs/notify-next"], '{}', "", 1, "invalid_thing_name"),
    (["decode", "--topic", "$aws/things/t/shadow/get"], '{}', "", 1, "not_a_jobs_topic"),
    (["decode", "--http", "describe-job-execution", "--status", "200"], '{"execution":{"jobId":"j"}}', "", 1,
     'missing_field at byte'),
    (["encode", "update-job-execution", "--input", '{"thingName":"t","jobId":"$next","status":"SUCCEEDED"}'], "", "", 1,
     "invalid_job_id"),
    (["encode", "update-job-execution", "--input", '{"thingName":"t","jobId":"j","status":"QUEUED"}'], "", "", 1,
     "iotjobs: invalid_update_status: "),
    (["encode", "update-job-execution", "--input", '{"thingName":"t","jobId":"j"}'], "", "", 1,
     'iotjobs: missing_field: input member "status" is required'),
    (["encode", "get-pending-job-executions", "--input", '{"thingName":"t","jobID":"x"}'], "", "", 1,
     'iotjobs: unknown input member "jobID" (get-pending-job-executions takes thingName, clientToken)'),
    # every number of the input is range-checked
    (["encode", "update-job-execution", "--input", '{"thingName":"t","jobId":"j","status":"SUCCEEDED","expectedVersion":9223372036854775807}'],
     "", '{"topic":"$aws/things/t/jobs/j/update","payload":"{\\"status\\":\\"SUCCEEDED\\",\\"expectedVersion\\":9223372036854775807}"}\n', 0, ""),
    (["encode", "update-job-execution", "--input", '{"thingName":"t","jobId":"j","status":"SUCCEEDED","expectedVersion":9223372036854775808}'],
     "", "", 1, 'iotjobs: number_out_of_range: input member "expectedVersion" is beyond int64'),
    (["encode", "update-job-execution", "--input", '{"thingName":"t","jobId":"j","status":"SUCCEEDED","expectedVersion":18446744073709551616}'],
     "", "", 1, "iotjobs: number_out_of_range: "),
    (["encode", "describe-job-execution", "--input", '{"thingName":"t","jobId":"j","executionNumber":-9223372036854775809}'],
     "", "", 1, "iotjobs: number_out_of_range: "),
    (["encode", "start-next-pending-job-execution", "--input", '{"thingName":"t","stepTimeoutInMinutes":1e400}'],
     "", "", 1, "iotjobs: number_out_of_range: "),
    (["encode", "start-next-pending-job-execution", "--input", '{"thingName":"t","stepTimeoutInMinutes":1.5}'],
     "", "", 1, 'iotjobs: wrong_type: input member "stepTimeoutInMinutes" must be an integer'),
    (["encode", "start-next-pending-job-execution", "--input", '{"thingName":"t","stepTimeoutInMinutes":01}'],
     "", "", 1, "iotjobs: invalid_json: "),
    (["encode", "start-next-pending-job-execution", "--input", '{"thingName":"t","stepTimeoutInMinutes":10081}'],
     "", "", 1, "iotjobs: invalid_step_timeout: "),
    (["encode", "start-command-execution", "--http", "--input", COMMAND.replace('"18446744073709551615"', '"18446744073709551616"')],
     "", "", 1, 'iotjobs: number_out_of_range: "ul": UL is beyond 2^64-1'),
    (["encode", "start-command-execution", "--http", "--input", COMMAND.replace('"18446744073709551615"', '"-1"')],
     "", "", 1, 'iotjobs: invalid_command_parameter: "ul": UL must be a string of decimal digits'),
    (["encode", "start-command-execution", "--http", "--input", COMMAND.replace('"18446744073709551615"', '""')],
     "", "", 1, 'iotjobs: invalid_command_parameter: "ul": UL must be a string of decimal digits'),
    (["encode", "start-command-execution", "--http", "--input", COMMAND.replace('{"I":5}', '{"I":2147483648}')],
     "", "", 1, 'iotjobs: number_out_of_range: "i": I is beyond int32'),
    (["encode", "start-command-execution", "--http", "--input", COMMAND.replace('{"I":5}', '{"I":-2147483649}')],
     "", "", 1, 'iotjobs: number_out_of_range: "i": I is beyond int32'),
    (["encode", "start-command-execution", "--http", "--input", COMMAND.replace('{"I":5}', '{"I":1.5}')],
     "", "", 1, 'iotjobs: invalid_command_parameter: "i": I must be an integer'),
    (["encode", "start-command-execution", "--http", "--input", COMMAND.replace('{"L":1234567890123}', '{"L":9223372036854775808}')],
     "", "", 1, 'iotjobs: number_out_of_range: "l": L is beyond int64'),
    (["encode", "start-command-execution", "--http", "--input", COMMAND.replace('"AQID"', '"AQI"')],
     "", "", 1, 'iotjobs: invalid_command_parameter: "bin": BIN is not base64'),
    (["encode", "start-command-execution", "--http", "--input", COMMAND.replace('"executionTimeoutSeconds":60', '"executionTimeoutSeconds":0')],
     "", "", 1, "iotjobs: invalid_execution_timeout: "),
    (["encode", "start-next-pending-job-execution", "--input", '{"thingName":"t","statusDetails":{"k":"a\\nb"}}'], "", "", 1,
     "invalid_status_details_value"),
    (["encode", "get-pending-job-executions", "--input", '{"thingName":""}'], "", "", 1, "invalid_thing_name"),
    (["encode", "get-pending-job-executions", "--input", '{"thingName":5}'], "", "", 1, "wrong_type"),
    (["encode", "get-pending-job-executions", "--input", '{"thingName":'], "", "", 1, "invalid_json"),
    (["encode", "get-pending-job-executions", "--input", '[1]'], "", "", 1, "iotjobs: wrong_type: "),
    # "\udcff": the byte 0xff in the argument (os.fsencode)
    (["encode", "get-pending-job-executions", "--input", '{"thingName":"\udcff"}'], "", "", 1, "iotjobs: invalid_utf8: "),
    # the output forms a shell hands to mosquitto_pub, and the HTTPS body alone
    (["encode", "update-job-execution", "--format", "line", "--input", '{"thingName":"t","jobId":"j","status":"FAILED","statusDetails":{"why":"a b"}}'],
     "", '$aws/things/t/jobs/j/update {"status":"FAILED","statusDetails":{"why":"a b"}}\n', 0, ""),
    (["encode", "update-job-execution", "--format", "topic", "--input", '{"thingName":"t","jobId":"j","status":"FAILED"}'],
     "", "$aws/things/t/jobs/j/update\n", 0, ""),
    (["encode", "update-job-execution", "--format", "payload", "--input", '{"thingName":"t","jobId":"j","status":"FAILED"}'],
     "", '{"status":"FAILED"}\n', 0, ""),
    (["encode", "update-job-execution", "--http", "--format", "payload", "--input", '{"thingName":"t","jobId":"j","status":"FAILED"}'],
     "", '{"status":"FAILED"}\n', 0, ""),
    (["encode", "get-pending-job-executions", "--input", "@-"], '{"thingName":"from-stdin"}',
     '{"topic":"$aws/things/from-stdin/jobs/get","payload":"{}"}\n', 0, ""),
    # --header: a field line, optional white space trimmed; given twice, the first value is the name
    (["decode", "--http", "update-job-execution", "--status", "400", "--header", "x-amzn-ErrorType: InvalidRequestException "],
     '{"message":"bad"}', '{"error":{"name":"InvalidRequestException","fault":"client","status":400,"message":"bad"}}\n', 0, ""),
    (["decode", "--http", "update-job-execution", "--status", "429", "--header", " X-AMZN-ERRORTYPE \t:\tThrottlingException\t"],
     "", '{"error":{"name":"ThrottlingException","fault":"client","status":429}}\n', 0, ""),
    (["decode", "--http", "update-job-execution", "--status", "400", "--header", "x-amzn-ErrorType: InvalidRequestException",
      "--header", "X-Amzn-ErrorType: ThrottlingException"],
     "", '{"error":{"name":"InvalidRequestException","fault":"client","status":400}}\n', 0, ""),
    # exit 2: a bad command line
    ([], "", "", 2, "A subcommand is required"),
    (["frob"], "", "", 2, "iotjobs: "),
    (["encode", "get-pending-job-executions"], "", "", 2, "--input is required"),
    (["encode", "delete-job", "--input", "{}"], "", "", 2, "operation: delete-job not in"),
    (["encode", "start-command-execution", "--input", COMMAND], "", "", 2, "HTTPS only"),
    (["encode", "get-pending-job-executions", "--http", "--format", "line", "--input", '{"thingName":"t"}'], "", "", 2,
     "--format line and topic are for MQTT"),
    (["encode", "get-pending-job-executions", "--format", "yaml", "--input", '{"thingName":"t"}'], "", "", 2, "--format"),
    (["encode", "get-pending-job-executions", "--input", "@/nonexistent/file"], "", "", 2, "cannot read /nonexistent/file"),
    (["decode", "--topic", "x", "--stream"], "", "", 2, "Exactly 1 option from [--topic,--http,--stream]"),
    (["decode"], "", "", 2, "Exactly 1 option from [--topic,--http,--stream]"),
    (["decode", "--http", "describe-job-execution"], "", "", 2, "--http requires --status"),
    (["decode", "--http", "describe-job-execution", "--status", "abc"], "", "", 2, "--status"),
    (["decode", "--http", "describe-job-execution", "--status", "600"], "", "", 2, "--status"),
    (["decode", "--topic", "$aws/things/t/jobs/notify", "--status", "200"], "", "", 2, "--status requires --http"),
    (["decode", "--http", "describe-job-execution", "--status", "200", "--header", "x y: z"], "", "", 2, "--header takes"),
    (["decode", "--http", "describe-job-execution", "--status", "200", "--header", "no colon"], "", "", 2, "--header takes"),
    (["decode", "--topic", "$aws/things/t/jobs/notify", "/nonexistent/file"], "", "", 2, "cannot read"),
    (["emulate", "--broker", "127.0.0.1:1"], "", "", 2, "--jobs is required"),
]


# issue 17: job documents. Every document under tests/data/documents prints its .out file; the
# invalid ones name their error and member.
documents = tests / "data" / "documents"
for path in sorted(documents.glob("*.json")):
    CASES.append((["document", str(path)], "", path.with_suffix(".out").read_text(), 0, ""))
CASES += [
    (["document"], '{"version":"1.0","steps":[]}', "", 1, 'missing_field at byte 28 (member "steps")'),
    (["document"], '{"version":"1.0","steps":[{"action":{"name":"a","type":"runScript","input":{}}}]}',
     "", 1, 'invalid_action_type at byte 66 (member "type")'),
    (["document"], '{"version":"1.0","steps":[{"action":{"name":"a","type":"runCommand",'
     '"input":{"command":"echo hello,world"}}}]}', "", 1,
     'invalid_command at byte 105 (member "command")'),
    (["document"], '{"afr_ota":{"protocols":["MQTT"],"files":[{"filesize":1,"fileid":0}]}}', "", 1,
     'missing_field at byte 70 (member "streamname")'),
    (["document"], '{"afr_ota":{"protocols":["FTP"],"streamname":"s","files":[]}}', "", 1,
     'invalid_protocol at byte 30 (member "protocols")'),
    (["document"], '{"afr_ota":{"protocols":["MQTT"],"streamname":"s","files":[{"filesize":1,'
     '"fileid":256}]}}', "", 1, 'number_out_of_range at byte 85 (member "fileid")'),
    (["document"], '{"operation":""}', "", 1, 'missing_field at byte 15 (member "operation")'),
    (["document"], '[{"version":"1.0"}]', "", 1, "wrong_type at byte 0"),
    (["document"], '{"steps":', "", 1, "invalid_json"),
    (["document"], '{"version":"1.0","hello":"world"}', '{"kind":"unknown"}\n', 0, ""),
    # issue 18: the policy of `iotjobs agent`, a document (indented, for people to read)
    (["policy", "--thing", "dev-1", "--client-id", "dev-1-agent", "--region", "us-east-1",
      "--account", "123456789012"], "", POLICY, 0, ""),
    (["policy", "--thing", "dev/1"], "", "", 1, "iotjobs: invalid_thing_name: "),
    (["agent", "--thing", "dev/1", "--broker", "127.0.0.1:1", "--handlers", "."], "", "", 1,
     "invalid thing name"),
    (["agent", "--thing", "dev-1", "--broker", "127.0.0.1:1", "--handlers", "/nonexistent"], "", "",
     2, "Directory does not exist: /nonexistent"),
    (["agent", "--thing", "dev-1", "--broker", "127.0.0.1:x", "--handlers", "."], "", "", 2,
     "--broker takes HOST:PORT"),
    (["emulate", "--broker", ":1883", "--jobs", "/dev/null"], "", "", 2, "--broker takes HOST:PORT"),
    (["agent", "--thing", "dev-1", "--broker", "127.0.0.1:1", "--handlers", ".", "--tls"], "", "", 2,
     "--tls needs --cafile, --cert and --key"),
    (["agent", "--thing", "dev-1", "--broker", "127.0.0.1:1", "--handlers", ".", "--tls",
      "--cafile", "/nonexistent", "--cert", "/nonexistent", "--key", "/nonexistent"], "", "", 1,
     "TLS: Invalid function arguments provided"),
]


def unique_members(pairs):
    """object_pairs_hook: an object that has a member twice is an error."""
    keys = [k for k, _ in pairs]
    dup = {k for k in keys if keys.count(k) > 1}
    if dup:
        raise ValueError("member twice: %s" % ", ".join(sorted(dup)))
    return dict(pairs)


def problems(out, err, status):
    """What every run must hold, whatever its case says: each output line is JSON with no member
    twice; a printed error name (the word before ": " or " at byte") is one of iotjobs::name()'s."""
    found = []
    if out.startswith("{\n"):  # one indented document
        try:
            json.loads(out, object_pairs_hook=unique_members)
        except ValueError as e:
            found.append("output %r: %s" % (out, e))
        return found
    for line in out.splitlines():
        if line.startswith("{"):
            try:
                value = json.loads(line, object_pairs_hook=unique_members)
            except ValueError as e:
                found.append("output line %r: %s" % (line, e))
                continue
            texts = [value["error"]] if isinstance(value.get("error"), str) else []
        else:
            texts = []
        for text in texts:
            name = re.match(r"([a-z_]+)(:| at byte)", text)
            if name and name.group(1) not in NAMES:
                found.append("error line names %r, which iotjobs::name() does not" % name.group(1))
    if status == 1:
        name = re.match(r"iotjobs: ([a-z_]+)(:| at byte)", err)
        if name and name.group(1) not in NAMES:
            found.append("stderr names %r, which iotjobs::name() does not" % name.group(1))
    return found


def main():
    failures = 0
    for args, stdin, want_out, want_status, want_err in CASES:
        run = subprocess.run([tool] + args, input=stdin.encode(), capture_output=True, timeout=30)
        out, err = run.stdout.decode(), run.stderr.decode()
        found = problems(out, err, run.returncode)
        if out != want_out or run.returncode != want_status or want_err not in err or found:
            failures += 1
            print("FAIL: iotjobs " + " ".join(args))
            print("  status %d (want %d)" % (run.returncode, want_status))
            print("  stdout %r\n  want   %r" % (out, want_out))
            print("  stderr %r (want to contain %r)" % (err, want_err))
            for p in found:
                print("  " + p)
    # --help on every subcommand
    for args in (["--help"], ["encode", "--help"], ["decode", "--help"], ["document", "--help"],
                 ["emulate", "--help"], ["agent", "--help"], ["policy", "--help"]):
        run = subprocess.run([tool] + args, capture_output=True, timeout=30)
        if run.returncode != 0 or b"Usage: iotjobs" not in run.stdout or b"Exit status" not in run.stdout \
                and args[0] != "emulate":
            failures += 1
            print("FAIL: iotjobs " + " ".join(args))
    print("%d cases, %d failed" % (len(CASES) + 7, failures))
    return 1 if failures else 0


sys.exit(main())
