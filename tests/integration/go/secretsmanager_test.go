// The AWS SDK for Go v2 (Debian's golang-github-aws-aws-sdk-go-v2-dev, built
// offline in GOPATH mode) against a running secretsmanager-local: create,
// get, put, list with the paginator, describe, rotate, delete.
// test_go_sdk.py starts the server and runs this with SML_ENDPOINT set and a
// builtin handler registered as SML_ROTATOR.
package sml_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

func client(t *testing.T) *secretsmanager.Client {
	endpoint := os.Getenv("SML_ENDPOINT")
	if endpoint == "" {
		t.Fatal("SML_ENDPOINT is not set (test_go_sdk.py sets it)")
	}
	return secretsmanager.New(secretsmanager.Options{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("test", "test", ""),
		EndpointResolver: secretsmanager.EndpointResolverFromURL(endpoint),
		RetryMaxAttempts: 1,
	})
}

func TestLifecycle(t *testing.T) {
	ctx := context.Background()
	sm := client(t)
	name := fmt.Sprintf("go/app-%d", time.Now().UnixNano())

	created, err := sm.CreateSecret(ctx, &secretsmanager.CreateSecretInput{
		Name:         aws.String(name),
		SecretString: aws.String("go-value-1"),
		Description:  aws.String("from Go"),
		Tags:         []types.Tag{{Key: aws.String("sdk"), Value: aws.String("go-v2")}},
	})
	if err != nil {
		t.Fatalf("CreateSecret: %v", err)
	}
	if aws.ToString(created.Name) != name || created.VersionId == nil {
		t.Fatalf("CreateSecret answered %+v", created)
	}

	got, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name)})
	if err != nil {
		t.Fatalf("GetSecretValue: %v", err)
	}
	if aws.ToString(got.SecretString) != "go-value-1" || aws.ToString(got.VersionId) != aws.ToString(created.VersionId) {
		t.Fatalf("GetSecretValue answered %q version %q", aws.ToString(got.SecretString), aws.ToString(got.VersionId))
	}

	put, err := sm.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{
		SecretId: aws.String(name), SecretBinary: []byte{0, 1, 2, 0xff}})
	if err != nil {
		t.Fatalf("PutSecretValue: %v", err)
	}
	got, err = sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name)})
	if err != nil || string(got.SecretBinary) != "\x00\x01\x02\xff" {
		t.Fatalf("GetSecretValue after put: %v %v", err, got.SecretBinary)
	}
	previous, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{
		SecretId: aws.String(name), VersionStage: aws.String("AWSPREVIOUS")})
	if err != nil || aws.ToString(previous.SecretString) != "go-value-1" {
		t.Fatalf("AWSPREVIOUS: %v %+v", err, previous)
	}

	described, err := sm.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(name)})
	if err != nil {
		t.Fatalf("DescribeSecret: %v", err)
	}
	if aws.ToString(described.Description) != "from Go" || len(described.Tags) != 1 ||
		aws.ToString(described.Tags[0].Value) != "go-v2" {
		t.Fatalf("DescribeSecret: %+v", described)
	}
	stages := described.VersionIdsToStages[aws.ToString(put.VersionId)]
	if len(stages) != 1 || stages[0] != "AWSCURRENT" {
		t.Fatalf("stages of the put version: %v", stages)
	}
	if described.CreatedDate == nil || time.Since(*described.CreatedDate) > time.Hour {
		t.Fatalf("CreatedDate %v", described.CreatedDate)
	}

	// Rotate with the builtin password handler (it rotates a string value);
	// wait for AWSCURRENT to move.
	if _, err = sm.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{
		SecretId: aws.String(name), SecretString: aws.String(`{"password":"go-value-2"}`)}); err != nil {
		t.Fatalf("PutSecretValue string: %v", err)
	}
	rotated, err := sm.RotateSecret(ctx, &secretsmanager.RotateSecretInput{
		SecretId:          aws.String(name),
		RotationLambdaARN: aws.String(os.Getenv("SML_ROTATOR")),
		RotationRules:     &types.RotationRulesType{AutomaticallyAfterDays: aws.Int64(30)},
	})
	if err != nil {
		t.Fatalf("RotateSecret: %v", err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		current, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name)})
		if err != nil {
			t.Fatalf("GetSecretValue during the rotation: %v", err)
		}
		if aws.ToString(current.VersionId) == aws.ToString(rotated.VersionId) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("rotation did not finish: AWSCURRENT is still %s", aws.ToString(current.VersionId))
		}
		time.Sleep(100 * time.Millisecond)
	}
	// The handler's finishSecret moves AWSCURRENT; the service records the
	// rotation (LastRotatedDate, AWSPENDING removed) once the handler returns,
	// a moment later, as AWS does after its Lambda returns.
	for {
		described, err = sm.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(name)})
		if err != nil || described.LastRotatedDate != nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil || !aws.ToBool(described.RotationEnabled) || described.LastRotatedDate == nil ||
		aws.ToInt64(described.RotationRules.AutomaticallyAfterDays) != 30 {
		t.Fatalf("DescribeSecret after rotation: %v %+v", err, described)
	}

	// Delete with a recovery window, then for good.
	deleted, err := sm.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{
		SecretId: aws.String(name), RecoveryWindowInDays: aws.Int64(7)})
	if err != nil || deleted.DeletionDate == nil {
		t.Fatalf("DeleteSecret: %v %+v", err, deleted)
	}
	_, err = sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name)})
	var invalid *types.InvalidRequestException
	if !errors.As(err, &invalid) {
		t.Fatalf("GetSecretValue of a deleted secret: %v", err)
	}
	if _, err = sm.RestoreSecret(ctx, &secretsmanager.RestoreSecretInput{SecretId: aws.String(name)}); err != nil {
		t.Fatalf("RestoreSecret: %v", err)
	}
	if _, err = sm.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{
		SecretId: aws.String(name), ForceDeleteWithoutRecovery: aws.Bool(true)}); err != nil {
		t.Fatalf("DeleteSecret force: %v", err)
	}
	_, err = sm.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(name)})
	var notFound *types.ResourceNotFoundException
	if !errors.As(err, &notFound) || aws.ToString(notFound.Message) != "Secrets Manager can't find the specified secret." {
		t.Fatalf("DescribeSecret after force delete: %v", err)
	}
}

func TestListSecretsPaginator(t *testing.T) {
	ctx := context.Background()
	sm := client(t)
	prefix := fmt.Sprintf("go/list-%d/", time.Now().UnixNano())
	var want []string
	for i := 0; i < 7; i++ {
		name := fmt.Sprintf("%s%02d", prefix, i)
		want = append(want, name)
		if _, err := sm.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String(name)}); err != nil {
			t.Fatalf("CreateSecret %s: %v", name, err)
		}
	}
	paginator := secretsmanager.NewListSecretsPaginator(sm, &secretsmanager.ListSecretsInput{
		MaxResults: aws.Int32(3),
		Filters:    []types.Filter{{Key: types.FilterNameStringTypeName, Values: []string{prefix}}},
	})
	var names []string
	pages := 0
	for paginator.HasMorePages() {
		page, err := paginator.NextPage(ctx)
		if err != nil {
			t.Fatalf("ListSecrets page %d: %v", pages+1, err)
		}
		pages++
		if len(page.SecretList) > 3 {
			t.Fatalf("page %d has %d secrets, MaxResults is 3", pages, len(page.SecretList))
		}
		for _, entry := range page.SecretList {
			names = append(names, aws.ToString(entry.Name))
		}
	}
	sort.Strings(names)
	if fmt.Sprint(names) != fmt.Sprint(want) {
		t.Fatalf("listed %v, want %v", names, want)
	}
	if pages < 3 {
		t.Fatalf("%d pages for 7 secrets at 3 per page", pages)
	}
}
