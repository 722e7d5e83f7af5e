#!/usr/bin/env bash
# Submits one taobao-villages job to a Spark cluster:
#   jobs/spark-submit.sh <subcommand> [options]      e.g. jobs/spark-submit.sh ingest --run-date 2022-12-31 ...
# The application jar (mvn -DskipTests package) carries our code, Delta Lake, picocli and Typesafe Config;
# Spark and Scala come from the cluster. spark-submit adds the Java 17 --add-opens options itself.
# Environment:
#   SPARK_HOME        Spark 4.1 distribution (Scala 2.13) whose bin/spark-submit is used (required); or a
#                     directory with jars/ and conf/ only, such as jobs/local-cluster.sh makes: then its
#                     org.apache.spark.deploy.SparkSubmit runs in a JVM started here (the driver, in client mode)
#   TV_MASTER         master URL (default: yarn); e.g. spark://host:7077, k8s://..., local[*]
#   TV_DEPLOY_MODE    client (default) or cluster. In cluster mode a --conf FILE must be shipped with
#                     TV_SUBMIT_ARGS="--files my.conf" and named by its base name. On a standalone master
#                     (spark://) spark-submit exits 0 in cluster mode even when the driver fails: a warning says so.
#   TV_JAR            application jar (default: target/taobao-villages-0.1.0-SNAPSHOT.jar)
#   TV_SUBMIT_ARGS    extra spark-submit arguments (executor memory, cores, --conf spark.*=...)
#   TV_DRIVER_MEMORY  heap of that JVM when there is no bin/spark-submit (default 2g)
#   TAOBAO_VILLAGES_PSEUDONYM_KEY   secret HMAC key for ingest (or ingest.pseudonym-key-file in --conf)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
[[ $# -ge 1 ]] || { echo "usage: $0 <generate|ingest|aggregate|detect|export|pipeline> [options]" >&2; exit 2; }
jar=${TV_JAR:-$top/target/taobao-villages-0.1.0-SNAPSHOT.jar}
[[ -f $jar ]] || { echo "error: application jar not found: $jar (build it with: mvn -B -DskipTests package)" >&2; exit 1; }
: "${SPARK_HOME:?set SPARK_HOME to a Spark 4.1 (Scala 2.13) distribution}"
if [[ -x $SPARK_HOME/bin/spark-submit ]]; then
  submit=("$SPARK_HOME/bin/spark-submit")
elif [[ -d $SPARK_HOME/jars ]]; then
  source "$here/java-opens.sh"
  # shellcheck disable=SC2206
  submit=(java -Xmx"${TV_DRIVER_MEMORY:-2g}" $SPARK_JAVA_OPENS -Dlog4j2.configurationFile="$top/conf/log4j2.properties"
    -cp "$SPARK_HOME/conf:$SPARK_HOME/jars/*" org.apache.spark.deploy.SparkSubmit)
  export SPARK_HOME
else
  echo "error: SPARK_HOME=$SPARK_HOME has neither bin/spark-submit nor jars/" >&2
  exit 1
fi
if [[ ${TV_MASTER:-yarn} == spark://* && ${TV_DEPLOY_MODE:-client} == cluster ]]; then
  echo "warning: standalone cluster mode: this exit code does not tell whether the driver succeeded; see the" \
    "master's web UI (driver state FINISHED or FAILED), or use client mode for a scheduler" >&2
fi
# shellcheck disable=SC2086
exec "${submit[@]}" \
  --master "${TV_MASTER:-yarn}" \
  --deploy-mode "${TV_DEPLOY_MODE:-client}" \
  --name "taobao-villages $1" \
  --class org.taobaovillages.cli.Main \
  --files "$top/conf/log4j2.properties" \
  --driver-java-options "-Dlog4j2.configurationFile=$top/conf/log4j2.properties" \
  --conf spark.executor.extraJavaOptions=-Dlog4j2.configurationFile=log4j2.properties \
  ${TV_SUBMIT_ARGS:-} \
  "$jar" "$@"
